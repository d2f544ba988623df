package dev.kmapstress.bench;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.mm.Pkmap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The physical limits the model's paths are measured against: one atomic pair, one lock pair
 * of each strategy, one page_address lookup, one read of a page's memory and one CPU turn, on
 * this machine and JVM. A model path can only be as fast as the sum of the baselines it is
 * made of.
 */
public class Baselines extends MatrixDefaults {

    /**
     * A word of each thread's own (allocated by that thread, in its own TLAB, far from the
     * others'), so its CAS is never contended.
     */
    @State(Scope.Thread)
    public static class Word {
        static final VarHandle VALUE;

        static {
            try {
                VALUE = MethodHandles.lookup().findVarHandle(Word.class, "value", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") private long value;
    }

    /**
     * The lock benchmarks' machine: the lock parameter on x86-pae, one spare spinlock and its
     * strategy alone.
     */
    @State(Scope.Benchmark)
    public static class LockMachine extends LockedMachine {
        Spinlock spinlock;
        LockStrategy strategy;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            setUp(params.getThreads());
        }

        void setUp(int cpus) {
            build(MachineConfig.builder(Profile.X86_PAE), cpus);
            spinlock = machine.newSpinlock("bench_lock");
            strategy = spinlock.strategy();
        }
    }

    /** Each thread's CPU, entered for the trial, with its own page kept mapped and that page's bucket lock. */
    public static class LockCpu extends PinnedCpu {
        Spinlock bucketLock;

        @Setup(Level.Trial)
        public void setUp(LockMachine m, ThreadParams threads) {
            pin(m.machine(), threads);
            bucketLock = m.machine().pageAddressTable().bucketLock(page);
        }
    }

    /** A machine without parameters, for the baselines no lock takes part in. */
    @State(Scope.Benchmark)
    public static class PlainMachine {
        Machine machine;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            setUp(params.getThreads());
        }

        void setUp(int cpus) {
            machine = Machines.build(MachineConfig.builder(Profile.X86_PAE), cpus);
        }
    }

    /** Each thread's CPU, not entered, and a page whose memory it reads. */
    @State(Scope.Thread)
    public static class IdleCpu {
        Cpu cpu;
        Page page;
        int word;

        @Setup(Level.Trial)
        public void setUp(PlainMachine m, ThreadParams threads) {
            cpu = m.machine.cpu(threads.getThreadIndex());
            page = m.machine.highPage(threads.getThreadIndex());
            word = threads.getThreadIndex() % page.words();
            page.payload()[word] = threads.getThreadIndex() + 1;
        }
    }

    /**
     * An uncontended compare-and-set plus a release store on a private word: the floor of any
     * lock's lock+unlock pair; compared with {@link #bareLockUnlock}.
     */
    @Benchmark
    public boolean casReleasePair(Word w) {
        boolean won = Word.VALUE.compareAndSet(w, 0L, 1L);
        Word.VALUE.setRelease(w, 0L);
        return won;
    }

    /**
     * The lock strategy's lock + unlock alone, without the {@code Spinlock} wrappers, on one
     * lock shared by all threads: the floor of {@link #bareLockUnlock} (target: the wrappers
     * cost at most 1.3×, median over locks).
     */
    @Benchmark
    public void rawLockUnlock(LockMachine m, LockCpu t) {
        m.strategy.lock(t.cpu);
        m.strategy.unlock(t.cpu);
    }

    /**
     * spin_lock + spin_unlock of one spinlock shared by all threads, through the kernel wrappers
     * (preempt_count, lockup-detector bookkeeping, holder) and the lock strategy; compared with
     * {@link #rawLockUnlock} and {@link #casReleasePair}.
     */
    @Benchmark
    public void bareLockUnlock(LockMachine m, LockCpu t) {
        m.spinlock.spinLock(t.cpu);
        m.spinlock.spinUnlock(t.cpu);
    }

    /**
     * Exactly the lock operations of a kmap_high hit plus its kunmap_high and nothing else:
     * lock_kmap, the page's bucket lock (irqsave) inside it, unlock_kmap, twice, on the machine's
     * real kmap_lock and the thread's page's real bucket lock. The floor of
     * {@code KmapHigh.hitRoundTrip} of the same lock (target: the round trip costs at most 1.25×).
     */
    @Benchmark
    public void hitPathLocks(LockMachine m, LockCpu t) {
        Pkmap pkmap = m.machine().pkmap();
        pkmap.lockKmap(t.cpu);
        boolean flags = t.bucketLock.spinLockIrqsave(t.cpu);
        t.bucketLock.spinUnlockIrqrestore(t.cpu, flags);
        pkmap.unlockKmap(t.cpu);
        flags = pkmap.lockKmapAny(t.cpu);
        boolean bucketFlags = t.bucketLock.spinLockIrqsave(t.cpu);
        t.bucketLock.spinUnlockIrqrestore(t.cpu, bucketFlags);
        pkmap.unlockKmapAny(t.cpu, flags);
    }

    /**
     * page_address() of a mapped highmem page: the hash, the bucket's spinlock (irqsave) and the
     * list walk that kmap_high and kunmap_high each do once; compared with {@link #bareLockUnlock}.
     */
    @Benchmark
    public long pageAddressLookup(LockMachine m, LockCpu t) {
        return m.machine().pageAddressTable().pageAddress(t.cpu, t.page);
    }

    /**
     * A plain read of one word of a page's memory, bypassing every mapping: the floor of a read
     * through a mapping, compared with the read inside {@code KmapHigh.poolRoundTrip}.
     */
    @Benchmark
    public int payloadRead(IdleCpu t) {
        return t.page.peek(t.word);
    }

    /**
     * One CPU turn (Cpu.enter + exit: the owner CAS, the run state, the IPI poll): the price the
     * per-operation benchmarks ({@code KmapHigh.poolRoundTrip}, the groups) pay on top of the
     * model's work; compared with {@link #casReleasePair}.
     */
    @Benchmark
    public Cpu cpuEnterExit(IdleCpu t) {
        try (Cpu.Scope s = t.cpu.enter()) {
            return s.cpu();
        }
    }
}
