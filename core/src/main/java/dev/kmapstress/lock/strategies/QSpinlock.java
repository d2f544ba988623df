package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;
import dev.kmapstress.lock.LockPlatform;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * <p><b>Under a hypervisor</b> ({@code hypervisor=true}, the CPU feature X86_FEATURE_HYPERVISOR)
 * x86 keeps {@code virt_spin_lock_key} on, and a CPU that misses the fast path does not queue at
 * all: it spins test-and-test-and-set on the whole word ({@code virt_spin_lock()}), because a
 * fair queue hands the lock to waiters the host has descheduled. Unfair, but no waiter depends
 * on another waiter running.
 *
 * <p><b>Paravirt</b> ({@code pvqspinlock}: a guest whose host offers PV_UNHALT, where
 * {@code kvm_spinlock_init()} installs kernel/locking/qspinlock_paravirt.h and turns
 * virt_spin_lock off). The slow path skips the pending bit and queues at once; a queued CPU
 * spins {@link #SPIN_THRESHOLD} times on its node (less if its predecessor is itself halted),
 * then halts ({@code pv_wait}: the thread parks) until kicked. Lock word and node states:
 * <pre>
 *   locked byte:  0 free, 1 held, 3 held and a halted queue head is hashed (_Q_SLOW_VAL)
 *   node state:   running, halted (in pv_wait_node), hashed (halted and in the hash table)
 *
 *   queue head    (n,0,*) --sets pending: no lock stealing; spins on (*,1,0) -&gt; (*,0,1)
 *                 gives up after SPIN_THRESHOLD: clears pending, hashes (lock -&gt; node),
 *                 exchanges locked 1 -&gt; 3 (or 0 -&gt; 3: the lock was free, take it back),
 *                 state := hashed, halts while locked == 3
 *   unlock        locked 1 -&gt; 0 (compare-and-set, release): done; if it is 3: unhash the
 *                 node, locked := 0 (release), kick the node's CPU
 *   hand-over     the holder sets next.locked; if next is halted: state halted -&gt; hashed,
 *                 locked := 3 and hash (lock -&gt; next) on its behalf, so that its own unlock
 *                 kicks next (pv_kick_node); else next sees the hand-over itself
 *   new arrival   once, before queueing: takes a free lock unless pending is set
 *                 (pv_hybrid_queued_unfair_trylock), so a halted head does not idle the lock
 * </pre>
 * The hash table ({@code pv_lock_hash}) is the machine's, shared by all its paravirt locks:
 * 4 entries per CPU (one per nesting level), at least a page's worth, open addressing from
 * {@code hash_32} of the lock's id (the model's stand-in for its address).
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
 * <li>Paravirt handshakes. pv_wait_node stores halted then reads locked, the hand-over stores
 *     locked then exchanges the state: each side's store and load are separated by a full fence
 *     ({@code smp_store_mb}, {@code smp_mb__before_atomic}), so a halting CPU either sees its
 *     grant or is seen halted. The head hashes before the exchange that sets _Q_SLOW_VAL (a full
 *     barrier), the unlocker reads _Q_SLOW_VAL then fences for acquire before reading the hash
 *     ({@code smp_rmb}). pv_wait parks only while the watched value is still there, and every
 *     kick comes after the store that ends the wait, so no kick is lost: an unpark that comes
 *     before the park leaves a permit.</li>
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
        @Override public LockStrategy create(int nrCpus) { return new QSpinlock(new QNodes(nrCpus, false), false); }
        @Override public boolean fifo() { return true; }

        /**
         * Every lock of one machine shares that machine's per-CPU queue nodes, as in the kernel;
         * on a machine under a hypervisor, virt_spin_lock is on.
         */
        @Override public Supplier<LockStrategy> forMachine(LockPlatform platform) {
            QNodes nodes = new QNodes(platform.nrCpus(), false);
            return () -> new QSpinlock(nodes, platform.hypervisor());
        }
    }

    /** Registers the paravirt variant as {@code pvqspinlock}. */
    public static final class Paravirt implements LockStrategyProvider {
        @Override public String name() { return "pvqspinlock"; }
        @Override public String description() {
            return "paravirt qspinlock: queued waiters spin a while, then halt until the unlocker kicks them";
        }
        @Override public LockStrategy create(int nrCpus) { return new QSpinlock(new QNodes(nrCpus, true), false); }

        /** Not FIFO: an arriving CPU may steal the lock from a queue head that has not yet set pending. */
        @Override public boolean fifo() { return false; }

        /** The nodes and the hash table are the machine's; virt_spin_lock is off (pv spinlocks replace it). */
        @Override public Supplier<LockStrategy> forMachine(LockPlatform platform) {
            QNodes nodes = new QNodes(platform.nrCpus(), true);
            return () -> new QSpinlock(nodes, false);
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
    /** Paravirt: the locked byte of a lock whose queue head is halted and hashed. */
    static final int Q_SLOW_VAL = 3 << Q_LOCKED_OFFSET;
    /** Paravirt: spins before a waiter halts (x86's SPIN_THRESHOLD). */
    static final int SPIN_THRESHOLD = 1 << 15;
    /** Paravirt: a queued CPU looks at its predecessor's state once per this many spins, plus one. */
    static final int PV_PREV_CHECK_MASK = 0xff;
    /** Paravirt node states (enum vcpu_state). */
    static final int VCPU_RUNNING = 0;
    static final int VCPU_HALTED = 1;
    static final int VCPU_HASHED = 2;
    /** The nesting context in which pv_wait does not halt (kvm_wait returns at once in NMI). */
    private static final int NMI_CONTEXT = 3;

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
        /** Paravirt: the node's {@code vcpu_state}. */
        static final int STATE = 3;

        final int[] words;
        /** Numbers the machine's locks from 1: a lock's stand-in for its address in the pv hash. */
        final AtomicInteger lastLockId = new AtomicInteger();
        /** Paravirt only (else null): the machine's pv_lock_hash and each CPU's thread, for pv_kick. */
        final PvHash hash;
        final Thread[] vcpus;

        QNodes(int nrCpus, boolean paravirt) {
            if (nrCpus >= 1 << Q_TAIL_CPU_BITS) {
                throw new IllegalArgumentException("qspinlock: " + nrCpus + " CPUs do not fit the"
                        + " tail's " + Q_TAIL_CPU_BITS + " CPU bits");
            }
            this.words = Padded.lines(nrCpus * MAX_NODES);
            this.hash = paravirt ? new PvHash(nrCpus) : null;
            this.vcpus = paravirt ? new Thread[nrCpus] : null;
        }

        static int word(int node, int word) {
            return Padded.at(node, word);
        }

        /** How many slow paths are in progress on {@code cpu} (tests and reports). */
        int count(int cpu) {
            return (int) INT.getOpaque(words, word(cpu * MAX_NODES, COUNT));
        }
    }

    /**
     * Models the kernel's pv_lock_hash: (lock, node) entries, 8 to a 64-byte line as on 32-bit,
     * at least a page of them and 4 per CPU, looked up by open addressing from the start of the
     * line the lock's hash falls in. A halted queue head has exactly one entry, removed by the
     * unlock that kicks it, so with 4 nodes per CPU an entry is always free.
     */
    static final class PvHash {
        static final int PV_HE_PER_LINE = 8;
        static final int PV_HE_MIN = 4096 / 8;
        /** hash_32's multiplier (include/linux/hash.h). */
        static final int GOLDEN_RATIO_32 = 0x61C88647;

        private final int bits;
        /** Entry e: {@code [2e]} the lock id (0: free), {@code [2e + 1]} the node. */
        private final int[] entries;

        PvHash(int nrCpus) {
            int size = Math.max(PV_HE_MIN, (4 * nrCpus + PV_HE_PER_LINE - 1) & -PV_HE_PER_LINE);
            size = Integer.highestOneBit(size - 1) << 1;
            this.bits = Integer.numberOfTrailingZeros(size);
            this.entries = new int[2 * size];
        }

        private int first(int lockId) {
            return (lockId * GOLDEN_RATIO_32) >>> (32 - bits) & -PV_HE_PER_LINE;
        }

        /** Models {@code pv_hash()}: records that {@code node} waits halted for lock {@code lockId}; returns the entry. */
        int pvHash(int lockId, int node) {
            int size = 1 << bits;
            for (int offset = 0, start = first(lockId); offset < size; offset++) {
                int he = (start + offset) & (size - 1);
                if (INT.compareAndSet(entries, 2 * he, 0, lockId)) {
                    INT.setOpaque(entries, 2 * he + 1, node);
                    return he;
                }
            }
            throw new IllegalStateException("pv_hash: no free entry for lock " + lockId + " (kernel: BUG())");
        }

        /** Models {@code pv_unhash()}: removes the entry of lock {@code lockId} and returns its node. */
        int pvUnhash(int lockId) {
            int size = 1 << bits;
            for (int offset = 0, start = first(lockId); offset < size; offset++) {
                int he = (start + offset) & (size - 1);
                if ((int) INT.getOpaque(entries, 2 * he) == lockId) {
                    int node = (int) INT.getOpaque(entries, 2 * he + 1);
                    INT.setRelease(entries, 2 * he, 0);
                    return node;
                }
            }
            throw new IllegalStateException("pv_unhash: lock " + lockId + " has no entry (kernel: BUG())");
        }

        /** Frees entry {@code he} again ({@code WRITE_ONCE(*lp, NULL)}). */
        void clear(int he) {
            INT.setOpaque(entries, 2 * he, 0);
        }
    }

    /** pv_wait_head_or_lock's {@code lp} before it hashes, and once pv_kick_node has hashed it. */
    private static final int NOT_HASHED = -1;
    private static final int HASHED_BY_KICKER = -2;

    private final QNodes nodes;
    private final int[] words = Padded.lines(1);
    /** Whether this is the paravirt lock (pv_enabled()). */
    private final boolean paravirt;
    /** Whether virt_spin_lock_key is on: native qspinlock under a hypervisor. */
    private final boolean virtSpinLock;
    private final int lockId;

    QSpinlock(QNodes nodes, boolean virtSpinLock) {
        this.nodes = nodes;
        this.paravirt = nodes.hash != null;
        this.virtSpinLock = virtSpinLock;
        this.lockId = nodes.lastLockId.incrementAndGet();
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

    /**
     * Models {@code queued_spin_unlock()}: clears the locked byte with release; the paravirt
     * lock's is {@code __pv_queued_spin_unlock()}.
     */
    @Override
    public void unlock(CpuContext cpu) {
        if (paravirt) {
            pvQueuedSpinUnlock();
            return;
        }
        INT.getAndBitwiseAndRelease(words, VAL, ~Q_LOCKED_MASK);
    }

    /**
     * Clearing the locked byte never waits; the paravirt unlock's hash search is bounded and
     * its kick an unpark.
     */
    @Override
    public boolean unlockWaits() {
        return false;
    }

    /** Models {@code queued_spin_trylock()}. */
    @Override
    public boolean tryLock(CpuContext cpu) {
        return (int) INT.getOpaque(words, VAL) == 0
                && (int) INT.compareAndExchangeAcquire(words, VAL, 0, Q_LOCKED_VAL) == 0;
    }

    /**
     * Models {@code queued_spin_lock_slowpath()} up to the queue: the paravirt lock queues at
     * once ({@code pv_queue}), under a hypervisor virt_spin_lock takes over, else the pending path.
     */
    private void queuedSpinLockSlowpath(CpuContext cpu, int val) {
        if (paravirt) {
            queue(cpu);
            return;
        }
        if (virtSpinLock) {
            virtSpinLock(cpu);
            return;
        }
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
                while (!slowpathTrylock(cpu)) {
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
        if (paravirt) {
            pvInitNode(cpu, node);
        }
        // The node's line may have been cold: the lock may be free by now.
        if (slowpathTrylock(cpu)) {
            return;
        }
        // p,*,* -> n,*,*: publish our tail; the exchange also publishes the node's initialisation.
        int old = xchgTail(tail);
        int next = 0;
        if ((old & Q_TAIL_MASK) != 0) {
            int prev = decodeTail(old);
            INT.setRelease(q, QNodes.word(prev, QNodes.NEXT), node + 1);
            if (paravirt) {
                pvWaitNode(cpu, node, prev);
            }
            while ((int) INT.getAcquire(q, QNodes.word(node, QNodes.LOCKED)) == 0) {
                cpu.cpuRelax();
            }
            // Someone may have queued behind us meanwhile.
            next = (int) INT.getAcquire(q, QNodes.word(node, QNodes.NEXT));
        }
        // Queue head: *,x,y -> *,0,0, waiting for the holder and the pending waiter to go
        // (paravirt: spin, then halt, until the lock is ours).
        int val = paravirt ? pvWaitHeadOrLock(cpu, node) : 0;
        if (val == 0) {
            while (((val = (int) INT.getAcquire(words, VAL)) & Q_LOCKED_PENDING_MASK) != 0) {
                cpu.cpuRelax();
            }
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
        if (paravirt) {
            pvKickNode(next - 1);
        }
    }

    /** The trylock of the slow path: {@code queued_spin_trylock()}, or paravirt's hybrid one. */
    private boolean slowpathTrylock(CpuContext cpu) {
        return paravirt ? pvHybridQueuedUnfairTrylock(cpu) : tryLock(cpu);
    }

    /**
     * Models x86's {@code virt_spin_lock()} with virt_spin_lock_key on: test-and-test-and-set
     * on the whole word; the compare-and-set is the acquire.
     */
    private void virtSpinLock(CpuContext cpu) {
        do {
            while ((int) INT.getOpaque(words, VAL) != 0) {
                cpu.cpuRelax();
            }
        } while ((int) INT.compareAndExchange(words, VAL, 0, Q_LOCKED_VAL) != 0);
    }

    // ---------------------------------------------------------------- paravirt

    /**
     * Models {@code pv_hybrid_queued_unfair_trylock()}: takes a lock that is neither held nor
     * pending; keeps trying while CPUs are queued but none has set pending yet (their head is
     * not spinning on the lock), gives up once the queue is empty or pending is set.
     */
    private boolean pvHybridQueuedUnfairTrylock(CpuContext cpu) {
        for (;;) {
            int val = (int) INT.getOpaque(words, VAL);
            if ((val & Q_LOCKED_PENDING_MASK) == 0 && cmpxchgAcquireLocked(0, Q_LOCKED_VAL)) {
                return true;
            }
            if ((val & Q_TAIL_MASK) == 0 || (val & Q_PENDING_MASK) != 0) {
                return false;
            }
            cpu.cpuRelax();
        }
    }

    /** Models {@code pv_init_node()}: the node's CPU (here its thread, for the kick) and state running. */
    private void pvInitNode(CpuContext cpu, int node) {
        nodes.vcpus[cpu.id()] = Thread.currentThread();
        INT.set(nodes.words, QNodes.word(node, QNodes.STATE), VCPU_RUNNING);
    }

    /**
     * Models {@code pv_wait_node()}: spins until the node is granted, halting after
     * {@link #SPIN_THRESHOLD} spins, or earlier when the predecessor is halted itself; returns
     * once granted (the caller then reads the grant with acquire).
     */
    private void pvWaitNode(CpuContext cpu, int node, int prev) {
        int[] q = nodes.words;
        int locked = QNodes.word(node, QNodes.LOCKED);
        int state = QNodes.word(node, QNodes.STATE);
        for (;;) {
            for (int loop = SPIN_THRESHOLD; loop != 0; loop--) {
                if ((int) INT.getOpaque(q, locked) != 0) {
                    return;
                }
                if (pvWaitEarly(prev, loop)) {
                    break;
                }
                cpu.cpuRelax();
            }
            // smp_store_mb(): halted, then a full fence before the last look at the grant.
            INT.set(q, state, VCPU_HALTED);
            VarHandle.fullFence();
            if ((int) INT.getOpaque(q, locked) == 0) {
                pvWait(cpu, q, state, -1, VCPU_HALTED);
            }
            // If pv_kick_node made us hashed, keep that: pv_wait_head_or_lock must not hash again.
            INT.compareAndSet(q, state, VCPU_HALTED, VCPU_RUNNING);
        }
    }

    /** Models {@code pv_wait_early()}: every so often, whether the predecessor is not running. */
    private boolean pvWaitEarly(int prev, int loop) {
        return (loop & PV_PREV_CHECK_MASK) == 0
                && (int) INT.getOpaque(nodes.words, QNodes.word(prev, QNodes.STATE)) != VCPU_RUNNING;
    }

    /**
     * Models {@code pv_kick_node()}, called by the new holder after granting {@code node}: if
     * that CPU is halted, make it hashed, set _Q_SLOW_VAL and hash the lock to its node, so our
     * unlock kicks it straight into pv_wait_head_or_lock (no wake-up now and halt again).
     */
    private void pvKickNode(int node) {
        // smp_mb__before_atomic(): the grant is ordered before the look at the state.
        VarHandle.fullFence();
        if ((int) INT.compareAndExchange(nodes.words, QNodes.word(node, QNodes.STATE), VCPU_HALTED, VCPU_HASHED)
                != VCPU_HALTED) {
            return;
        }
        // We hold the lock and will unlock it ourselves: no atomic needed for the locked byte.
        storeRelaxed(Q_LOCKED_MASK, Q_SLOW_VAL);
        nodes.hash.pvHash(lockId, node);
    }

    /**
     * Models {@code pv_wait_head_or_lock()}: the queue head sets pending (no more stealing) and
     * tries to take the lock for {@link #SPIN_THRESHOLD} spins; then, once, hashes itself and
     * marks the lock _Q_SLOW_VAL, and halts until the unlock kicks it. Returns the lock word
     * with the lock taken (never 0).
     */
    private int pvWaitHeadOrLock(CpuContext cpu, int node) {
        int[] q = nodes.words;
        int state = QNodes.word(node, QNodes.STATE);
        int lp = (int) INT.getOpaque(q, state) == VCPU_HASHED ? HASHED_BY_KICKER : NOT_HASHED;
        for (;;) {
            INT.setOpaque(q, state, VCPU_RUNNING);
            storeRelaxed(Q_PENDING_MASK, Q_PENDING_VAL);
            for (int loop = SPIN_THRESHOLD; loop != 0; loop--) {
                if (trylockClearPending()) {
                    return (int) INT.getOpaque(words, VAL) | Q_LOCKED_VAL;
                }
                cpu.cpuRelax();
            }
            clearPending();
            if (lp == NOT_HASHED) {
                lp = nodes.hash.pvHash(lockId, node);
                // Hash before _Q_SLOW_VAL (the exchange is a full barrier): an unlock that sees
                // _Q_SLOW_VAL finds our entry.
                if (xchgLocked(Q_SLOW_VAL) == 0) {
                    // The lock was free and is now ours: back to _Q_LOCKED_VAL, entry unused.
                    storeRelaxed(Q_LOCKED_MASK, Q_LOCKED_VAL);
                    nodes.hash.clear(lp);
                    return (int) INT.getOpaque(words, VAL) | Q_LOCKED_VAL;
                }
            }
            INT.setOpaque(q, state, VCPU_HASHED);
            pvWait(cpu, words, VAL, Q_LOCKED_MASK, Q_SLOW_VAL);
            // A stealer may have taken the lock before us: spin and wait again.
        }
    }

    /**
     * Models {@code pv_wait()} as KVM's {@code kvm_wait()} does it: halts (parks the CPU's
     * thread) while the {@code mask} bits of {@code a[i]} still equal {@code val}, until kicked
     * or for one slice at most (a halt ends on any interrupt; the caller re-checks either way).
     * Returns at once in NMI context. The CPU counts as idle while halted with IRQs on.
     */
    private static void pvWait(CpuContext cpu, int[] a, int i, int mask, int val) {
        if (cpu.nestingContext() == NMI_CONTEXT || ((int) INT.getVolatile(a, i) & mask) != val) {
            return;
        }
        cpu.blockingWaitBegin();
        LockSupport.parkNanos(SlicedWait.SLICE_NANOS);
        cpu.blockingWaitEnd();
    }

    /** Models {@code pv_kick()}: wakes CPU {@code cpu} if it is halted (a kick to a running CPU is harmless). */
    private void pvKick(int cpu) {
        LockSupport.unpark(nodes.vcpus[cpu]);
    }

    /**
     * Models {@code __pv_queued_spin_unlock()}: locked 1 -&gt; 0 with release; if the byte was
     * _Q_SLOW_VAL, {@code __pv_queued_spin_unlock_slowpath()}: unhash the halted head, release,
     * kick it.
     */
    private void pvQueuedSpinUnlock() {
        int locked = cmpxchgReleaseLocked(Q_LOCKED_VAL, 0);
        if (locked == Q_LOCKED_VAL) {
            return;
        }
        if (locked != Q_SLOW_VAL) {
            throw new IllegalStateException(String.format("pvqspinlock: lock %d has corrupted value 0x%x!",
                    lockId, (int) INT.getOpaque(words, VAL)));
        }
        // smp_rmb(): the hash entry is read after _Q_SLOW_VAL was seen.
        VarHandle.acquireFence();
        int node = nodes.hash.pvUnhash(lockId);
        INT.getAndBitwiseAndRelease(words, VAL, ~Q_LOCKED_MASK);
        pvKick(node / MAX_NODES);
    }

    /** Models {@code trylock_clear_pending()} for an 8-bit pending field: *,1,0 -&gt; *,0,1, acquire. */
    private boolean trylockClearPending() {
        int v;
        do {
            v = (int) INT.getOpaque(words, VAL);
            if ((v & Q_LOCKED_PENDING_MASK) != Q_PENDING_VAL) {
                return false;
            }
        } while (!INT.weakCompareAndSetAcquire(words, VAL, v, (v & ~Q_LOCKED_PENDING_MASK) | Q_LOCKED_VAL));
        return true;
    }

    /** {@code cmpxchg_acquire(&lock->locked, expect, update) == expect}: the locked byte alone. */
    private boolean cmpxchgAcquireLocked(int expect, int update) {
        int v;
        do {
            v = (int) INT.getOpaque(words, VAL);
            if ((v & Q_LOCKED_MASK) != expect) {
                return false;
            }
        } while (!INT.weakCompareAndSetAcquire(words, VAL, v, (v & ~Q_LOCKED_MASK) | update));
        return true;
    }

    /** {@code cmpxchg_release(&lock->locked, expect, update)}: returns the byte found. */
    private int cmpxchgReleaseLocked(int expect, int update) {
        int v;
        do {
            v = (int) INT.getOpaque(words, VAL);
            if ((v & Q_LOCKED_MASK) != expect) {
                return v & Q_LOCKED_MASK;
            }
        } while (!INT.weakCompareAndSetRelease(words, VAL, v, (v & ~Q_LOCKED_MASK) | update));
        return expect;
    }

    /** {@code xchg(&lock->locked, value)}, fully ordered: returns the byte it replaced. */
    private int xchgLocked(int value) {
        int v;
        do {
            v = (int) INT.getOpaque(words, VAL);
        } while (!INT.weakCompareAndSet(words, VAL, v, (v & ~Q_LOCKED_MASK) | value));
        return v & Q_LOCKED_MASK;
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
