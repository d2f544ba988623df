package dev.kmapstress.torture;

import dev.kmapstress.machine.KernelOp;
import java.util.List;

/**
 * One thing a torture round can do with a page, the way one table of locktorture's lock
 * operations describes a lock type: its name in workloads, the kernel functions it calls (as
 * statistics name them), the rules a caller must respect around it, and its three steps:
 * {@link #take} (map or copy, then check), {@link #verify} (check again after the hold) and
 * {@link #release} (unmap). The worker loop calls these and knows nothing else about it, so
 * adding an API to the torture run is adding one entry to {@link Activities} and its test.
 *
 * <p>Nesting: a worker takes a round's items in ascending {@link #nesting()} and releases them
 * in the opposite order, so an item that may sleep (level 0) is never taken inside an atomic
 * one and a stack-ordered one (kmap_local) is always released last-in first-out.
 */
public interface Activity {

    /** Level of the items that may sleep and may be released in any order (kmap). */
    int SLEEPING = 0;
    /** Level of the items that keep a per-task stack and must be released in LIFO order. */
    int STACKED = 1;
    /** Level of the items that disable preemption: nothing may sleep inside them. */
    int ATOMIC = 2;

    /** The name a workload selects it by, e.g. {@code persistent}. */
    String name();

    /** {@link #SLEEPING}, {@link #STACKED} or {@link #ATOMIC}. */
    int nesting();

    /** kmap_local stack entries it keeps while its round holds it. */
    int stackEntries();

    /**
     * The kernel functions it counts, the first being the one whose latency a comparison shows
     * and the second the one that releases.
     */
    List<KernelOp> ops();

    /**
     * Whether it maps only pages the run keeps mapped from start to end ({@code PageLedger.pinned}):
     * every call then takes the hit path (kmap_high finds the page's address and counts one
     * more user under kmap_lock), never map_new_virtual.
     */
    default boolean pinned() {
        return false;
    }

    /** Operations a run with it counts beside {@link #ops()} (persistent kmaps' probes and flush). */
    default List<KernelOp> extraOps() {
        return List.of();
    }

    /** Takes the item on the worker's CPU; leaves it untaken if no page was free to claim. */
    void take(Hands hands, Mapping mp);

    /** Checks a taken item again, after the round held it. */
    void verify(Hands hands, Mapping mp);

    /** Releases a taken item (its pages go back to the ledger afterwards). */
    void release(Hands hands, Mapping mp);

    /** After each round of a workload that has it. */
    default void afterRound(Hands hands) {
    }
}
