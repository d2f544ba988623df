package dev.kmapstress.torture;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.KernelOp;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import java.util.List;

/**
 * An {@link Activity} that maps one page and later releases the mapping: kmap, kmap_local_page,
 * kmap_atomic. The worker checks the page's content through the returned address, stamps it
 * when it writes, and checks it again before it releases.
 */
public interface MapKind extends Activity {

    /** The kernel function that maps, e.g. {@code kmap}. */
    KernelOp mapOp();

    /** The kernel function that unmaps, e.g. {@code kunmap}. */
    KernelOp unmapOp();

    /**
     * Whether a mapping of a highmem page may hold a PKMAP slot on a machine of
     * {@code profile}: kmap always; kmap_local and kmap_atomic where the architecture has
     * kmap_high_get, which pins the page's PKMAP mapping, if it has one, for as long as the
     * local mapping lives.
     */
    boolean usesPkmapSlot(Profile profile);

    /** Maps {@code page} on {@code cpu} of {@code machine} and returns its virtual address. */
    long map(Machine machine, Cpu cpu, Page page);

    /** Releases the mapping of {@code page} at {@code vaddr} that {@link #map} returned. */
    void unmap(Machine machine, Cpu cpu, Page page, long vaddr);

    @Override
    default List<KernelOp> ops() {
        return List.of(mapOp(), unmapOp());
    }

    /** Right after {@link #map}, before the page is read through the mapping: its extra probes. */
    default void mapped(Hands hands, Mapping mp) {
    }

    @Override
    default void take(Hands hands, Mapping mp) {
        hands.map(mp, this);
    }

    @Override
    default void verify(Hands hands, Mapping mp) {
        hands.verifyMapped(mp);
    }

    @Override
    default void release(Hands hands, Mapping mp) {
        hands.unmap(mp, this);
    }
}
