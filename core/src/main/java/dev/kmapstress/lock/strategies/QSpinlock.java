package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;
import java.util.function.Supplier;

/**
 * The kernel's queued spinlock (kernel/locking/qspinlock.c, include/asm-generic/qspinlock.h and
 * qspinlock_types.h, Linux 6.1, native, without paravirt): one 32-bit word; an uncontended lock
 * is one compare-and-set, a second CPU spins on the word with the pending bit set, and every
 * further CPU queues MCS-style on a per-CPU node and spins on its own line.
 *
 * <p>States of the word as (tail, pending, locked); n is a queued CPU's tail code, * any value:
 * <pre>
 *   unlocked      (0,0,0) --compare-and-set (fast path)--------------> (0,0,1)
 *   one waiter    (0,0,1) --sets pending, spins on locked------------> (0,1,1)
 *                 (0,1,1) --holder unlocks---------------------------> (0,1,0)
 *                 (0,1,0) --pending CPU takes it, clears pending-----> (0,0,1)
 *   queueing      (*,x,y) --a CPU that sees pending or a tail swaps
 *                           its own code into the tail---------------> (n,x,y)
 *   queue head    (n,x,y) --waits until holder and pending are gone--> (n,0,0)
 *                 (n,0,0) --n is the whole queue: claims it----------> (0,0,1)
 *                 (m,0,0) --others behind n: n sets locked, hands its
 *                           MCS node on to the next in queue---------> (m,0,1)
 *   unlock        (*,*,1) --clears the locked byte-------------------> (*,*,0)
 * </pre>
 * A CPU that sees (0,1,0), a hand-over from pending to locked in progress, waits for it a
 * bounded number of spins ({@link #Q_PENDING_LOOPS}, x86's value) before deciding to queue, so
 * that it always makes progress.
 *
 * <p>Algorithmic notes.
 * <ul>
 * <li>Word layout for NR_CPUS below 16K, as x86-32 builds it: bits 0-7 locked byte, 8-15
 *     pending byte (only bit 8 is used), 16-17 tail index (the node's nesting level), 18-31 tail
 *     CPU + 1, so that tail 0 means "no queue" and CPU 0's first node is not 0.</li>
 * <li>Queue nodes: {@link #MAX_NODES} per CPU, shared by every qspinlock of a machine (see
 *     {@link Provider#forMachine}), because a CPU waits for at most one lock per nesting
 *     context. As in the kernel, the index is a per-CPU count of the slow paths in progress on
 *     that CPU (node 0's {@code count}), not the context itself: an interrupt handler that takes
 *     a lock while its task is queued gets the next node. With all four in use (nested NMIs),
 *     the CPU spins on trylock without a node, as the kernel does. Each node is a padded line
 *     with {@code locked} (set to 1 by the predecessor to make it queue head) and {@code next}
 *     (successor node + 1, 0 for none).</li>
 * <li>Sub-word stores: the kernel writes the locked byte, the pending byte and the locked+pending
 *     half-word with plain byte and half-word stores, and swaps the tail half-word. Java has no
 *     atomic access to part of an {@code int}, so each of these is a compare-and-set loop on the
 *     whole word that changes only those bits, with the kernel's memory order: relaxed for
 *     clear_pending, clear_pending_set_locked and set_locked (the acquire was made by the wait
 *     before them), release for unlock. This is the generic code the kernel itself uses where
 *     the pending field is a single bit.</li>
 * <li>Orders the kernel gets from an address dependency (decode_tail(old) then writing
 *     prev-&gt;next; reading node-&gt;next then writing next-&gt;locked) are acquire reads here,
 *     because the Java memory model knows no dependency ordering; the tail exchange is
 *     acquire-release for the same reason plus the kernel's smp_wmb before it. The JDK has no
 *     relaxed strong compare-and-set, so the head's claim uses acquire.</li>
 * </ul>
 */
public final class QSpinlock implements LockStrategy {

    /** Registers the strategy as {@code qspinlock}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "qspinlock"; }
        @Override public String description() {
            return "the kernel's queued spinlock: 4-byte word, pending bit, MCS queue on per-CPU nodes";
        }
        @Override public LockStrategy create(int nrCpus) { return new QSpinlock(new QNodes(nrCpus)); }
        @Override public boolean fifo() { return true; }

        /** Every lock of one machine shares that machine's per-CPU queue nodes, as in the kernel. */
        @Override public Supplier<LockStrategy> forMachine(int nrCpus) {
            QNodes nodes = new QNodes(nrCpus);
            return () -> new QSpinlock(nodes);
        }
    }

    static final int Q_LOCKED_OFFSET = 0;
    static final int Q_LOCKED_BITS = 8;
    static final int Q_LOCKED_MASK = ((1 << Q_LOCKED_BITS) - 1) << Q_LOCKED_OFFSET;
    static final int Q_PENDING_OFFSET = Q_LOCKED_OFFSET + Q_LOCKED_BITS;
    static final int Q_PENDING_BITS = 8;
    static final int Q_PENDING_MASK = ((1 << Q_PENDING_BITS) - 1) << Q_PENDING_OFFSET;
    static final int Q_TAIL_IDX_OFFSET = Q_PENDING_OFFSET + Q_PENDING_BITS;
    static final int Q_TAIL_IDX_BITS = 2;
    static final int Q_TAIL_IDX_MASK = ((1 << Q_TAIL_IDX_BITS) - 1) << Q_TAIL_IDX_OFFSET;
    static final int Q_TAIL_CPU_OFFSET = Q_TAIL_IDX_OFFSET + Q_TAIL_IDX_BITS;
    static final int Q_TAIL_CPU_BITS = 32 - Q_TAIL_CPU_OFFSET;
    static final int Q_TAIL_CPU_MASK = (int) (((1L << Q_TAIL_CPU_BITS) - 1) << Q_TAIL_CPU_OFFSET);
    static final int Q_TAIL_MASK = Q_TAIL_IDX_MASK | Q_TAIL_CPU_MASK;
    static final int Q_LOCKED_VAL = 1 << Q_LOCKED_OFFSET;
    static final int Q_PENDING_VAL = 1 << Q_PENDING_OFFSET;
    static final int Q_LOCKED_PENDING_MASK = Q_LOCKED_MASK | Q_PENDING_MASK;
    /** Queue nodes per CPU: task, softirq, hardirq, NMI. */
    static final int MAX_NODES = 4;
    /** x86's bound on the wait for a pending-to-locked hand-over. */
    static final int Q_PENDING_LOOPS = 1 << 9;

    private static final int VAL = Padded.at(0, 0);

    /**
     * The per-CPU queue nodes of one machine ({@code qnodes[MAX_NODES]} per CPU): node
     * {@code cpu * MAX_NODES + idx} on its own padded line.
     */
    static final class QNodes {
        static final int LOCKED = 0;
        static final int NEXT = 1;
        /** On each CPU's node 0: the number of that CPU's slow paths in progress. */
        static final int COUNT = 2;

        final int[] words;

        QNodes(int nrCpus) {
            if (nrCpus >= 1 << Q_TAIL_CPU_BITS) {
                throw new IllegalArgumentException("qspinlock: " + nrCpus + " CPUs do not fit the"
                        + " tail's " + Q_TAIL_CPU_BITS + " CPU bits");
            }
            this.words = Padded.lines(nrCpus * MAX_NODES);
        }

        static int word(int node, int word) {
            return Padded.at(node, word);
        }

        /** How many slow paths are in progress on {@code cpu} (tests and reports). */
        int count(int cpu) {
            return (int) INT.getOpaque(words, word(cpu * MAX_NODES, COUNT));
        }
    }

    private final QNodes nodes;
    private final int[] words = Padded.lines(1);

    QSpinlock(QNodes nodes) {
        this.nodes = nodes;
    }

    /** Models {@code encode_tail()}: CPU + 1 and the node index, in tail position. */
    static int encodeTail(int cpu, int idx) {
        return (cpu + 1) << Q_TAIL_CPU_OFFSET | idx << Q_TAIL_IDX_OFFSET;
    }

    /** The CPU of a tail code (the first half of {@code decode_tail()}). */
    static int tailCpu(int tail) {
        return (tail >>> Q_TAIL_CPU_OFFSET) - 1;
    }

    /** The node index of a tail code (the second half of {@code decode_tail()}). */
    static int tailIdx(int tail) {
        return (tail & Q_TAIL_IDX_MASK) >>> Q_TAIL_IDX_OFFSET;
    }

    /** Models {@code decode_tail()}: the queue node a tail code names. */
    static int decodeTail(int tail) {
        return tailCpu(tail) * MAX_NODES + tailIdx(tail);
    }

    /** The queue nodes this lock uses. */
    QNodes nodes() {
        return nodes;
    }

    /** The lock word, read without ordering (tests and reports). */
    int word() {
        return (int) INT.getOpaque(words, VAL);
    }

    /** Models {@code queued_spin_lock()}. */
    @Override
    public void lock(CpuContext cpu) {
        int val = (int) INT.compareAndExchangeAcquire(words, VAL, 0, Q_LOCKED_VAL);
        if (val != 0) {
            queuedSpinLockSlowpath(cpu, val);
        }
    }

    /** Models {@code queued_spin_unlock()}: clears the locked byte with release. */
    @Override
    public void unlock(CpuContext cpu) {
        INT.getAndBitwiseAndRelease(words, VAL, ~Q_LOCKED_MASK);
    }

    /** Models {@code queued_spin_trylock()}. */
    @Override
    public boolean tryLock(CpuContext cpu) {
        return (int) INT.getOpaque(words, VAL) == 0
                && (int) INT.compareAndExchangeAcquire(words, VAL, 0, Q_LOCKED_VAL) == 0;
    }

    /** Models {@code queued_spin_lock_slowpath()} up to the queue: the pending path. */
    private void queuedSpinLockSlowpath(CpuContext cpu, int val) {
        // A pending-to-locked hand-over is in progress (0,1,0 -> 0,0,1): wait for it, boundedly.
        if (val == Q_PENDING_VAL) {
            int cnt = Q_PENDING_LOOPS;
            while ((val = (int) INT.getOpaque(words, VAL)) == Q_PENDING_VAL && cnt-- != 0) {
                cpu.cpuRelax();
            }
        }
        // Any sign of contention (pending or a queue): queue.
        if ((val & ~Q_LOCKED_MASK) != 0) {
            queue(cpu);
            return;
        }
        // 0,0,* -> 0,1,*: become the pending waiter (or take a free lock).
        val = (int) INT.getAndBitwiseOrAcquire(words, VAL, Q_PENDING_VAL);
        if ((val & ~Q_LOCKED_MASK) != 0) {
            // Someone else got there first. Undo our pending bit, if it was ours: it may be
            // what keeps a queue head's n,0,0 -> 0,0,1 claim from succeeding.
            if ((val & Q_PENDING_MASK) == 0) {
                clearPending();
            }
            queue(cpu);
            return;
        }
        // 0,1,1 -> 0,1,0: wait for the holder; acquire pairs with its release.
        if ((val & Q_LOCKED_MASK) != 0) {
            while (((int) INT.getAcquire(words, VAL) & Q_LOCKED_MASK) != 0) {
                cpu.cpuRelax();
            }
        }
        // 0,1,0 -> 0,0,1
        clearPendingSetLocked();
    }

    /** The MCS part of {@code queued_spin_lock_slowpath()}, from its {@code queue:} label. */
    private void queue(CpuContext cpu) {
        int[] q = nodes.words;
        int cpuId = cpu.id();
        int countAt = QNodes.word(cpuId * MAX_NODES, QNodes.COUNT);
        int idx = (int) INT.get(q, countAt);
        // Counted before the node is touched, so that an interrupt arriving now takes the next.
        INT.set(q, countAt, idx + 1);
        try {
            if (idx >= MAX_NODES) {
                // Out of nodes (nested NMIs): spin on the word itself.
                while (!tryLock(cpu)) {
                    cpu.cpuRelax();
                }
                return;
            }
            waitInQueue(cpu, cpuId * MAX_NODES + idx, encodeTail(cpuId, idx));
        } finally {
            INT.set(q, countAt, idx);
        }
    }

    private void waitInQueue(CpuContext cpu, int node, int tail) {
        int[] q = nodes.words;
        INT.set(q, QNodes.word(node, QNodes.LOCKED), 0);
        INT.set(q, QNodes.word(node, QNodes.NEXT), 0);
        // The node's line may have been cold: the lock may be free by now.
        if (tryLock(cpu)) {
            return;
        }
        // p,*,* -> n,*,*: publish our tail; the exchange also publishes the node's initialisation.
        int old = xchgTail(tail);
        int next = 0;
        if ((old & Q_TAIL_MASK) != 0) {
            int prev = decodeTail(old);
            INT.setRelease(q, QNodes.word(prev, QNodes.NEXT), node + 1);
            while ((int) INT.getAcquire(q, QNodes.word(node, QNodes.LOCKED)) == 0) {
                cpu.cpuRelax();
            }
            // Someone may have queued behind us meanwhile.
            next = (int) INT.getAcquire(q, QNodes.word(node, QNodes.NEXT));
        }
        // Queue head: *,x,y -> *,0,0, waiting for the holder and the pending waiter to go.
        int val;
        while (((val = (int) INT.getAcquire(words, VAL)) & Q_LOCKED_PENDING_MASK) != 0) {
            cpu.cpuRelax();
        }
        // n,0,0 -> 0,0,1 if we are the whole queue. A pending bit set meanwhile makes this fail,
        // and that CPU will see our tail and queue behind us.
        if ((val & Q_TAIL_MASK) == tail
                && (int) INT.compareAndExchangeAcquire(words, VAL, val, Q_LOCKED_VAL) == val) {
            return;
        }
        // *,*,0 -> *,*,1, then hand the queue head on to our successor once it has linked itself.
        setLocked();
        while (next == 0) {
            next = (int) INT.getAcquire(q, QNodes.word(node, QNodes.NEXT));
            if (next == 0) {
                cpu.cpuRelax();
            }
        }
        INT.setRelease(q, QNodes.word(next - 1, QNodes.LOCKED), 1);
    }

    /** Models {@code clear_pending()}: *,1,* -> *,0,*. */
    private void clearPending() {
        storeRelaxed(Q_PENDING_MASK, 0);
    }

    /** Models {@code clear_pending_set_locked()}: *,1,0 -> *,0,1. */
    private void clearPendingSetLocked() {
        storeRelaxed(Q_LOCKED_PENDING_MASK, Q_LOCKED_VAL);
    }

    /** Models {@code set_locked()}: *,*,0 -> *,0,1. */
    private void setLocked() {
        storeRelaxed(Q_LOCKED_MASK, Q_LOCKED_VAL);
    }

    /** A relaxed store of {@code bits} into the field {@code mask} of the word, others unchanged. */
    private void storeRelaxed(int mask, int bits) {
        int v;
        do {
            v = (int) INT.getOpaque(words, VAL);
        } while (!INT.weakCompareAndSetPlain(words, VAL, v, (v & ~mask) | bits));
    }

    /** Models {@code xchg_tail()}: p,*,* -> n,*,*; returns the previous word. */
    private int xchgTail(int tail) {
        int v;
        do {
            v = (int) INT.getOpaque(words, VAL);
        } while (!INT.weakCompareAndSet(words, VAL, v, (v & Q_LOCKED_PENDING_MASK) | tail));
        return v;
    }
}
