package dev.kmapstress.torture;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.KernelOp;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The activities torture rounds are made of, by name: the model's mapping APIs and copies. */
public final class Activities {

    /**
     * Persistent kmaps: {@code kmap()}/{@code kunmap()}, which may sleep for a PKMAP slot; each
     * mapping of a highmem page is probed with page_address() beside it, and one round in eight
     * ends with kmap_flush_unused().
     */
    public static final MapKind PERSISTENT = new Persistent("persistent", p -> true);

    /**
     * Persistent kmaps that hit: {@code kmap()}/{@code kunmap()} of pages the run keeps mapped,
     * so every call finds the page's address and only counts a user under kmap_lock; kmap_lock
     * and the page_address hash-bucket locks are all that is contended.
     */
    public static final MapKind HIT = new Persistent("hit", p -> false) {
        @Override public boolean pinned() { return true; }
    };

    /** Local kmaps: {@code kmap_local_page()}/{@code kunmap_local()}, per-task stack, LIFO. */
    public static final MapKind LOCAL = new Kind("local", KernelOp.KMAP_LOCAL_PAGE, KernelOp.KUNMAP_LOCAL,
            Activity.STACKED, 1, Profile::kmapHighGet,
            (machine, cpu, page) -> machine.kmapLocal().kmapLocalPage(cpu, page),
            (machine, cpu, page, vaddr) -> machine.kmapLocal().kunmapLocal(cpu, vaddr));

    /** Atomic kmaps: {@code kmap_atomic()}/{@code kunmap_atomic()}, no sleeping inside. */
    public static final MapKind ATOMIC_MAP = new Kind("atomic", KernelOp.KMAP_ATOMIC, KernelOp.KUNMAP_ATOMIC,
            Activity.ATOMIC, 1, Profile::kmapHighGet,
            (machine, cpu, page) -> machine.kmapLocal().kmapAtomic(cpu, page),
            (machine, cpu, page, vaddr) -> machine.kmapLocal().kunmapAtomic(cpu, vaddr));

    /**
     * Page copies: {@code copy_highpage()} from a page the worker reads into one it writes,
     * checked by reading the copy back with {@code memcpy_from_page()}; both map with
     * kmap_local inside the call.
     */
    public static final Activity COPY = new Activity() {
        @Override public String name() { return "copy"; }
        @Override public int nesting() { return STACKED; }
        @Override public int stackEntries() { return 0; }
        @Override public List<KernelOp> ops() {
            return List.of(KernelOp.COPY_HIGHPAGE, KernelOp.MEMCPY_FROM_PAGE);
        }
        @Override public void take(Hands hands, Mapping mp) { hands.copy(mp); }
        @Override public void verify(Hands hands, Mapping mp) { hands.verifyContent(mp); }
        @Override public void release(Hands hands, Mapping mp) { }
    };

    private static final List<Activity> ALL = List.of(PERSISTENT, HIT, LOCAL, ATOMIC_MAP, COPY);

    private Activities() {
    }

    /** Every activity, in the order workloads list them. */
    public static List<Activity> all() {
        return ALL;
    }

    /** The activity named {@code name}, or null. */
    public static Activity byName(String name) {
        return ALL.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
    }

    /** Every activity's name, comma-separated. */
    public static String names() {
        return ALL.stream().map(Activity::name).collect(Collectors.joining(", "));
    }

    /** The map call of a kind. */
    @FunctionalInterface
    private interface MapCall {
        long map(Machine machine, Cpu cpu, Page page);
    }

    /** The unmap call of a kind. */
    @FunctionalInterface
    private interface UnmapCall {
        void unmap(Machine machine, Cpu cpu, Page page, long vaddr);
    }

    /** kmap()/kunmap(), with their page_address probes and the occasional kmap_flush_unused(). */
    private static class Persistent extends Kind {
        /**
         * page_address() lookups of random pool pages beside each mapping of a highmem page:
         * lookups that run without kmap_lock while its holder edits the hash buckets.
         */
        private static final int PROBES = 2;
        /** One round in 8 ends with kmap_flush_unused(). */
        private static final int FLUSH_ONE_IN = 8;

        Persistent(String name, Predicate<Profile> pkmapSlot) {
            super(name, KernelOp.KMAP, KernelOp.KUNMAP, Activity.SLEEPING, 0, pkmapSlot,
                    (machine, cpu, page) -> machine.highmem().kmap(cpu, page),
                    (machine, cpu, page, vaddr) -> machine.highmem().kunmap(cpu, page));
        }

        @Override
        public List<KernelOp> extraOps() {
            return List.of(KernelOp.PAGE_ADDRESS, KernelOp.KMAP_FLUSH_UNUSED);
        }

        @Override
        public void mapped(Hands hands, Mapping mp) {
            if (mp.page.isHighMem()) {
                hands.checkAddress(mp);
                for (int i = 0; i < PROBES; i++) {
                    hands.probeRandomPage();
                }
            }
        }

        @Override
        public void afterRound(Hands hands) {
            if (hands.oneIn(FLUSH_ONE_IN)) {
                hands.flushUnused();
            }
        }
    }

    /** A mapping kind: its fixed properties and its two calls. */
    private static class Kind implements MapKind {
        private final String name;
        private final KernelOp mapOp;
        private final KernelOp unmapOp;
        private final int nesting;
        private final int stackEntries;
        private final Predicate<Profile> pkmapSlot;
        private final MapCall mapCall;
        private final UnmapCall unmapCall;

        Kind(String name, KernelOp mapOp, KernelOp unmapOp, int nesting, int stackEntries, Predicate<Profile> pkmapSlot,
                MapCall mapCall, UnmapCall unmapCall) {
            this.name = name;
            this.mapOp = mapOp;
            this.unmapOp = unmapOp;
            this.nesting = nesting;
            this.stackEntries = stackEntries;
            this.pkmapSlot = pkmapSlot;
            this.mapCall = mapCall;
            this.unmapCall = unmapCall;
        }

        @Override public String name() { return name; }
        @Override public KernelOp mapOp() { return mapOp; }
        @Override public KernelOp unmapOp() { return unmapOp; }
        @Override public int nesting() { return nesting; }
        @Override public int stackEntries() { return stackEntries; }
        @Override public boolean usesPkmapSlot(Profile profile) { return pkmapSlot.test(profile); }

        @Override
        public long map(Machine machine, Cpu cpu, Page page) {
            return mapCall.map(machine, cpu, page);
        }

        @Override
        public void unmap(Machine machine, Cpu cpu, Page page, long vaddr) {
            unmapCall.unmap(machine, cpu, page, vaddr);
        }
    }
}
