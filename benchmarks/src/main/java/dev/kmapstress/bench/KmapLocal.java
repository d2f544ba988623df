package dev.kmapstress.bench;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.mm.HighmemCopy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The short-lived mappings of mm/highmem.c: kmap_local_page and kmap_atomic round trips through
 * each CPU's own fixmap slots, and the page copy helpers built on them. On x86 no lock is taken
 * and no other CPU is disturbed, so more threads should mean proportionally more throughput;
 * on arm-like each map first tries kmap_high_get, which takes kmap_lock (the machine's default
 * lock strategy: kmap_local has no lock parameter).
 */
public class KmapLocal extends MatrixDefaults {

    /** Words copied by {@link #memcpyToPage}: 256 bytes, a header-sized write. */
    static final int MEMCPY_WORDS = 64;

    /**
     * A machine of each profile whose pages have a real page's 1024 words (4 KiB), with per-CPU
     * statistics on as every machine has them unless {@code -p statistics=false} asks what they
     * cost (kmap_local updates three counters per round trip, a larger share of its few
     * nanoseconds than of a kmap_high round trip's).
     */
    @State(Scope.Benchmark)
    public static class LocalMachine {
        @Param({"x86-pae", "arm-like"})
        public String profile;

        @Param("true")
        public boolean statistics;

        Machine machine;
        HighmemCopy copy;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            setUp(params.getThreads());
        }

        void setUp(int cpus) {
            machine = Machines.build(MachineConfig.builder(Profile.parse(profile))
                    .payloadWords(MachineConfig.MAX_PAYLOAD_WORDS).statistics(statistics), cpus);
            copy = machine.highmemCopy();
        }

        /** Fails the iteration if the model wrote anything to its kernel log. */
        @TearDown(Level.Iteration)
        public void checkKernelLog() {
            Machines.checkKernelLog(machine);
        }
    }

    /** Each thread's CPU, entered for the trial, with two pages of its own and a buffer. */
    public static class LocalCpu extends TrialCpu {
        Page other;
        int[] buffer;

        @Setup(Level.Trial)
        public void setUp(LocalMachine m, ThreadParams threads) {
            enter(m.machine, threads);
            other = m.machine.highPage(threads.getThreadIndex() + threads.getThreadCount());
            buffer = new int[MEMCPY_WORDS];
            for (int i = 0; i < buffer.length; i++) {
                buffer[i] = i + 1;
            }
        }
    }

    /**
     * kmap_local_page + kunmap_local of the thread's page (push, PTE set, PTE clear, local TLB
     * flush, pop); compared with {@code KmapHigh.hitRoundTrip} (target: ≥ 5× faster at 1 thread,
     * ≥ 10× at 2).
     */
    @Benchmark
    public long localRoundTrip(LocalMachine m, LocalCpu t) {
        long vaddr = m.machine.kmapLocal().kmapLocalPage(t.cpu, t.page);
        m.machine.kmapLocal().kunmapLocal(t.cpu, vaddr);
        return vaddr;
    }

    /**
     * kmap_atomic + kunmap_atomic: the local round trip plus preempt and pagefault disabling;
     * compared with {@link #localRoundTrip}.
     */
    @Benchmark
    public long atomicRoundTrip(LocalMachine m, LocalCpu t) {
        long vaddr = m.machine.kmapLocal().kmapAtomic(t.cpu, t.page);
        m.machine.kmapLocal().kunmapAtomic(t.cpu, vaddr);
        return vaddr;
    }

    /**
     * memcpy_to_page of {@value #MEMCPY_WORDS} words into the thread's page: one local map and
     * a write per word through the CPU's TLB; compared with {@link #localRoundTrip}, whose map
     * and unmap it contains.
     */
    @Benchmark
    public void memcpyToPage(LocalMachine m, LocalCpu t) {
        m.copy.memcpyToPage(t.cpu, t.page, 0, t.buffer, MEMCPY_WORDS);
    }

    /**
     * copy_highpage of one whole page (1024 words) into another: two nested local maps, a read
     * and a write per word; compared with {@link #memcpyToPage}.
     */
    @Benchmark
    public void copyHighpage(LocalMachine m, LocalCpu t) {
        m.copy.copyHighpage(t.cpu, t.other, t.page);
    }
}
