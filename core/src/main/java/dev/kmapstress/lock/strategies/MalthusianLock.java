package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;

/**
 * A Malthusian lock (Dice, "Malthusian Locks", EuroSys 2017; its MCSCR-STP form): an MCS
 * lock with spin-then-park waiters whose unlock restricts concurrency. When more than one CPU
 * waits, the holder moves its immediate successor out of the queue onto a passive list, where
 * it parks, and hands the lock to the next one; so only a few CPUs circulate through the lock
 * and the rest sleep, leaving host CPUs to the circulating ones and to the holder. When the
 * queue is empty the holder hands the lock to a passive CPU instead of freeing it, and every
 * {@link #FAIRNESS_PERIOD} unlocks it admits the longest-passive CPU ahead of the queue, so
 * no CPU starves. Not FIFO by design.
 *
 * <p>States, at the holder's unlock ({@code tail}/{@code next}/{@code locked} as in
 * {@link McsLock}, P the passive list, owned by whoever holds the lock):
 * <pre>
 *   queue empty, P empty      --compare-and-set tail me -&gt; 0----------------&gt; free
 *   queue empty, P = p,...    --p.next = 0; compare-and-set tail me -&gt; p; grant p
 *                               (fails if a CPU just swapped in: p back onto P, go on)
 *   fairness turn, P not empty, successor n
 *                             --e = P's eldest; e.next = n; grant e (e jumps the queue)
 *   successor n, n.next m     --surplus: push n onto P (it keeps waiting, parks); grant m
 *   successor n only          --grant n
 * </pre>
 * Invariant: P is empty whenever the lock is free (tail 0), so trylock, which only takes a
 * free lock, never strands a passive CPU.
 *
 * <p>Algorithmic notes. The passive list links nodes through their {@code next} words (a node
 * out of the queue has no successor to link) and its head, tail and the unlock count live in a
 * line of the lock that only the holder touches: plain accesses, ordered from holder to holder
 * by the hand-overs (release grant, acquire wait; or the tail's compare-and-set on a free lock).
 * A culled node's waiter never learns it was moved: it waits on its own {@code locked} word
 * either way, and is granted from P later. Orders otherwise as in {@link McsLock}.
 */
public final class MalthusianLock implements LockStrategy {

    /** Registers the strategy as {@code malthusian}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "malthusian"; }
        @Override public String description() {
            return "Malthusian MCS (MCSCR-STP): surplus waiters park on a passive list; not FIFO";
        }
        @Override public LockStrategy create(int nrCpus) { return new MalthusianLock(nrCpus); }
    }

    /** One unlock in this many admits the eldest passive CPU ahead of the queue (long-term fairness). */
    static final int FAIRNESS_PERIOD = 256;

    private static final int TAIL = Padded.at(0, 0);
    /** Holder-only words: the passive list (node + 1, 0 for none) and the unlock count. */
    private static final int PASSIVE_HEAD = Padded.at(1, 0);
    private static final int PASSIVE_TAIL = Padded.at(1, 1);
    private static final int UNLOCKS = Padded.at(1, 2);

    private final McsNodes nodes;
    private final int[] words;

    MalthusianLock(int nrCpus) {
        this.nodes = new McsNodes(nrCpus, 2, true);
        this.words = nodes.words();
    }

    @Override
    public void lock(CpuContext cpu) {
        nodes.enqueue(cpu, TAIL);
    }

    @Override
    public void unlock(CpuContext cpu) {
        int me = McsNodes.node(cpu);
        int unlocks = words[UNLOCKS] + 1;
        words[UNLOCKS] = unlocks;
        int next = nodes.next(me);
        if (next == 0) {
            int p = popPassiveHead();
            if (p != 0) {
                nodes.setNext(p - 1, 0);
                if (INT.compareAndSet(words, TAIL, me + 1, p)) {
                    nodes.grant(p - 1);
                    return;
                }
                pushPassive(p);
            } else if (INT.compareAndSet(words, TAIL, me + 1, 0)) {
                return;
            }
            next = nodes.awaitNext(cpu, me);
        }
        if (words[PASSIVE_HEAD] != 0 && unlocks % FAIRNESS_PERIOD == 0) {
            int eldest = popPassiveTail();
            nodes.setNext(eldest - 1, next);
            nodes.grant(eldest - 1);
            return;
        }
        int afterNext = nodes.next(next - 1);
        if (afterNext != 0) {
            pushPassive(next);
            nodes.grant(afterNext - 1);
            return;
        }
        nodes.grant(next - 1);
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        int me = McsNodes.node(cpu);
        nodes.setNext(me, 0);
        return INT.compareAndSet(words, TAIL, 0, me + 1);
    }

    /** Pushes node {@code n} (+ 1) at the head of the passive list: the most recently culled first. */
    private void pushPassive(int n) {
        int head = words[PASSIVE_HEAD];
        nodes.setNext(n - 1, head);
        words[PASSIVE_HEAD] = n;
        if (head == 0) {
            words[PASSIVE_TAIL] = n;
        }
    }

    /** Removes the most recently culled node (+ 1) from the passive list, or returns 0 if it is empty. */
    private int popPassiveHead() {
        int head = words[PASSIVE_HEAD];
        if (head != 0) {
            int rest = nodes.next(head - 1);
            words[PASSIVE_HEAD] = rest;
            if (rest == 0) {
                words[PASSIVE_TAIL] = 0;
            }
        }
        return head;
    }

    /** Removes the longest-passive node (+ 1) from a non-empty passive list (a walk: it holds at most one node per CPU and context). */
    private int popPassiveTail() {
        int eldest = words[PASSIVE_TAIL];
        int head = words[PASSIVE_HEAD];
        if (head == eldest) {
            words[PASSIVE_HEAD] = 0;
            words[PASSIVE_TAIL] = 0;
            return eldest;
        }
        int before = head;
        while (nodes.next(before - 1) != eldest) {
            before = nodes.next(before - 1);
        }
        nodes.setNext(before - 1, 0);
        words[PASSIVE_TAIL] = before;
        return eldest;
    }
}
