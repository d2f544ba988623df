package dev.kmapstress.torture;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import java.util.List;

/**
 * An {@link Activity} that maps one page and later releases the mapping: kmap, kmap_local_page,
 * kmap_atomic. The worker checks the page's content through the returned address, stamps it
 * when it writes, and checks it again before it releases.
 */
public interface MapKind extends Activity {

    /** The kernel function that maps, e.g. {@code kmap}. */
    String mapOp();

    /** The kernel function that unmaps, e.g. {@code kunmap}. */
    String unmapOp();

    /** Whether mapping a highmem page takes a PKMAP slot (and so may wait for one). */
    boolean usesPkmapSlot();

    /** Maps {@code page} on {@code cpu} and returns its virtual address. */
    long map(Cpu cpu, Page page);

    /** Releases the mapping of {@code page} at {@code vaddr} that {@link #map} returned. */
    void unmap(Cpu cpu, Page page, long vaddr);

    @Override
    default List<String> ops() {
        return List.of(mapOp(), unmapOp());
    }
}
