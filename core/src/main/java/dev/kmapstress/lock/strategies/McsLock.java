package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;

/**
 * The MCS queue lock (Mellor-Crummey and Scott): a CPU swaps its own queue node into the tail,
 * links it behind its predecessor and waits on its own node until the predecessor hands the
 * lock over. FIFO and local spinning (one line per waiter); the holder must keep its node until
 * unlock, and unlock may have to wait for a successor that has swapped the tail but not yet
 * linked itself. Two ways to wait: spinning ({@code mcs}), or LiTL's spin-then-park
 * ({@code mcs-stp}: spin about as long as a park costs, then park until granted), which frees
 * the host CPU for the holder when waiters outnumber CPUs; the price is an unpark on the
 * hand-over to a parked waiter.
 *
 * <p>States; {@code tail} is the last node + 1 (0: free), {@code locked}/{@code next} are a
 * node's words ({@link McsNodes}):
 * <pre>
 *   free          tail 0     --lock: swap own node in-----------------------&gt; tail me, held
 *   contended     tail p     --swap own node in, link p.next = me, wait until
 *                              me.locked == 0 (spin, or spin then park)
 *   unlock, alone tail me    --compare-and-set tail me -&gt; 0-----------------&gt; free
 *   unlock        me.next n  --n.locked := 0 (release; unpark n if it parked)-&gt; n holds
 *   unlock, late  tail != me, me.next 0: a successor swapped in but has not linked yet;
 *                              wait for me.next, then hand over
 *   trylock       tail 0     --compare-and-set tail 0 -&gt; me-----------------&gt; held
 * </pre>
 *
 * <p>Algorithmic notes. Nodes are preallocated, one per CPU and nesting context (the holder
 * finds its node again at unlock from the same pair). The tail swap is acquire-release: release
 * publishes our node's initialisation, acquire sees the predecessor's. {@code next} is written
 * with release and read with acquire, so the predecessor's hand-over store comes after our
 * initialisation; {@code locked} is handed over with a release store read with acquire, which
 * orders the critical sections (with parking, both are volatile: see {@link McsNodes}).
 */
public final class McsLock implements LockStrategy {

    /** Registers the spinning variant as {@code mcs}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "mcs"; }
        @Override public String description() {
            return "MCS queue lock: FIFO, local spinning; unlock may wait for the successor to link";
        }
        @Override public LockStrategy create(int nrCpus) { return new McsLock(nrCpus, false); }
        @Override public boolean fifo() { return true; }
    }

    /** Registers the spin-then-park variant as {@code mcs-stp}. */
    public static final class SpinThenPark implements LockStrategyProvider {
        @Override public String name() { return "mcs-stp"; }
        @Override public String description() {
            return "MCS with LiTL's spin-then-park: FIFO, a waiter parks after a short spin";
        }
        @Override public LockStrategy create(int nrCpus) { return new McsLock(nrCpus, true); }
        @Override public boolean fifo() { return true; }
    }

    private static final int TAIL = Padded.at(0, 0);

    private final McsNodes nodes;
    private final int[] words;

    McsLock(int nrCpus, boolean park) {
        this.nodes = new McsNodes(nrCpus, 1, park);
        this.words = nodes.words();
    }

    @Override
    public void lock(CpuContext cpu) {
        nodes.enqueue(cpu, TAIL);
    }

    @Override
    public void unlock(CpuContext cpu) {
        int me = McsNodes.node(cpu);
        int next = nodes.next(me);
        if (next == 0) {
            if (INT.compareAndSet(words, TAIL, me + 1, 0)) {
                return;
            }
            next = nodes.awaitNext(cpu, me);
        }
        nodes.grant(next - 1);
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        int me = McsNodes.node(cpu);
        nodes.setNext(me, 0);
        return INT.compareAndSet(words, TAIL, 0, me + 1);
    }
}
