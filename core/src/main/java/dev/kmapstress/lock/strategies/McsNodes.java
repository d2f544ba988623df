package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The queue nodes of one MCS-style lock and how a waiter waits on its own: by spinning, or
 * (LiTL's spin-then-park) by spinning a while and then parking its thread until the node is
 * granted. One node per CPU and nesting context, each on its own padded line, with
 * {@code locked} (1 while waiting), {@code next} (successor's node + 1, 0 for none) and
 * {@code parked} (1 while the waiter may be parked), and the thread of its waiter.
 *
 * <p>Algorithmic notes (parking). A waiter that stops spinning sets {@code parked} and then
 * reads {@code locked}; a granter clears {@code locked} and then reads {@code parked}; both
 * pairs are volatile, so at least one side sees the other's store (a Dekker handshake): either
 * the waiter sees the grant and does not park, or the granter sees {@code parked} and unparks
 * it. An unpark that finds the thread awake leaves a permit, which makes a later park return
 * at once: a spurious wake-up, which every park loop re-checks. A parked CPU waits in slices
 * and spins once between them ({@link SlicedWait#SLICE_NANOS}), so the lockup detector and a
 * stopped machine still reach it, and while parked with IRQs on it counts as idle.
 */
final class McsNodes {

    /** Nesting contexts per CPU (task, softirq, hardirq, NMI). */
    static final int CONTEXTS = 4;
    /** Spins before a spin-then-park waiter parks: about what a park and unpark cost. */
    static final int SPINS_BEFORE_PARKING = 1 << 10;

    private static final int LOCKED = 0;
    private static final int NEXT = 1;
    private static final int PARKED = 2;
    private static final VarHandle THREAD = MethodHandles.arrayElementVarHandle(Thread[].class);

    private final boolean park;
    private final int firstLine;
    private final int[] words;
    private final Thread[] threads;

    /**
     * Nodes for {@code nrCpus} CPUs in lines {@code firstLine} onwards of a padded array whose
     * first lines hold the lock's own words; waiters park if {@code park}.
     */
    McsNodes(int nrCpus, int firstLine, boolean park) {
        this.park = park;
        this.firstLine = firstLine;
        this.words = Padded.lines(firstLine + nrCpus * CONTEXTS);
        this.threads = park ? new Thread[nrCpus * CONTEXTS] : null;
    }

    /** The padded array holding the nodes, after the lock's own {@code firstLine} lines. */
    int[] words() {
        return words;
    }

    /** The node of the CPU in its current nesting context. */
    static int node(CpuContext cpu) {
        return cpu.id() * CONTEXTS + cpu.nestingContext();
    }

    private int word(int node, int word) {
        return Padded.at(firstLine + node, word);
    }

    /** Prepares node {@code me} to wait: no successor yet, not granted, parks this thread. */
    void init(int me) {
        INT.set(words, word(me, NEXT), 0);
        INT.set(words, word(me, LOCKED), 1);
        if (park) {
            THREAD.set(threads, me, Thread.currentThread());
        }
    }

    /**
     * The MCS acquire: swaps this CPU's node into the tail word at {@code tail} of {@link #words};
     * with no predecessor the lock is taken, otherwise links behind it and waits to be granted.
     */
    void enqueue(CpuContext cpu, int tail) {
        int me = node(cpu);
        init(me);
        int pred = (int) INT.getAndSet(words, tail, me + 1);
        if (pred != 0) {
            link(pred - 1, me);
            awaitGrant(cpu, me);
        }
    }

    /** The successor of node {@code n} + 1, or 0 if none has linked itself yet (acquire). */
    int next(int n) {
        return (int) INT.getAcquire(words, word(n, NEXT));
    }

    /** Links {@code succ} behind {@code pred} (release: publishes succ's initialisation). */
    void link(int pred, int succ) {
        INT.setRelease(words, word(pred, NEXT), succ + 1);
    }

    /** Sets the successor of node {@code n} (only the lock holder, for nodes out of the queue). */
    void setNext(int n, int next) {
        INT.set(words, word(n, NEXT), next);
    }

    /** Spins until a successor that swapped the tail has linked itself behind {@code me}; returns it + 1. */
    int awaitNext(CpuContext cpu, int me) {
        int next;
        while ((next = next(me)) == 0) {
            cpu.cpuRelax();
        }
        return next;
    }

    /** Waits until node {@code me} is granted: spins, and parks too if this lock parks. */
    void awaitGrant(CpuContext cpu, int me) {
        int locked = word(me, LOCKED);
        for (int i = 0; !park || i < SPINS_BEFORE_PARKING; i++) {
            if ((int) INT.getAcquire(words, locked) == 0) {
                return;
            }
            cpu.cpuRelax();
        }
        int parked = word(me, PARKED);
        INT.setVolatile(words, parked, 1);
        while ((int) INT.getVolatile(words, locked) != 0) {
            cpu.blockingWaitBegin();
            LockSupport.parkNanos(this, SlicedWait.SLICE_NANOS);
            cpu.blockingWaitEnd();
            cpu.cpuRelax();
        }
        INT.setOpaque(words, parked, 0);
    }

    /** Grants the lock to node {@code n} (release), unparking its waiter if it may be parked. */
    void grant(int n) {
        if (!park) {
            INT.setRelease(words, word(n, LOCKED), 0);
            return;
        }
        INT.setVolatile(words, word(n, LOCKED), 0);
        if ((int) INT.getVolatile(words, word(n, PARKED)) != 0) {
            LockSupport.unpark((Thread) THREAD.get(threads, n));
        }
    }
}
