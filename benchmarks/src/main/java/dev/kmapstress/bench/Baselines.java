package dev.kmapstress.bench;

import dev.kmapstress.lock.Spinlock;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Machine;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
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

    /** The lock benchmarks' machine: the lock parameter on x86-pae, one spare spinlock. */
    @State(Scope.Benchmark)
    public static class LockMachine extends LockedMachine {
        Spinlock spinlock;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            setUp(params.getThreads());
        }

        void setUp(int cpus) {
            build(MachineConfig.builder(Profile.X86_PAE), cpus);
            spinlock = machine.newSpinlock("bench_lock");
        }
    }

    /** Each thread's CPU, entered for the trial, with its own page kept mapped. */
    public static class LockCpu extends PinnedCpu {
        @Setup(Level.Trial)
        public void setUp(LockMachine m, ThreadParams threads) {
            pin(m.machine(), threads);
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
     * spin_lock + spin_unlock of one spinlock shared by all threads, through the kernel wrappers
     * (preempt_count) and the lock strategy; compared with {@link #casReleasePair} and with
     * {@code KmapHigh.hitRoundTrip}, which takes kmap_lock twice and a bucket lock twice.
     */
    @Benchmark
    public void bareLockUnlock(LockMachine m, LockCpu t) {
        m.spinlock.spinLock(t.cpu);
        m.spinlock.spinUnlock(t.cpu);
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
