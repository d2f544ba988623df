package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.Cpus;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Tiny;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Short multi-threaded runs in which every mapped word is verified. */
class ConcurrentPkmapTest {

    /**
     * Each CPU owns word {@code cpu} of every page: it maps random pages, writes its stamp,
     * reads it back through the mapping, and checks its previous stamp survived.
     */
    private static List<Throwable> hammer(Machine m, int iterations) throws InterruptedException {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread[] threads = new Thread[m.nrCpus()];
        for (int c = 0; c < threads.length; c++) {
            int cpuId = c;
            threads[c] = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(cpuId);
                int[] last = new int[m.highPageCount()];
                try (Cpu.Scope s = m.cpu(cpuId).enter()) {
                    Cpu cpu = s.cpu();
                    for (int i = 1; i <= iterations; i++) {
                        int k = rnd.nextInt(m.highPageCount());
                        Page p = m.highPage(k);
                        long va = m.highmem().kmap(cpu, p);
                        int before = m.mmu().read(cpu, va, cpuId);
                        if (before != last[k]) {
                            throw new AssertionError("CPU" + cpuId + " " + p + " at " + Long.toHexString(va)
                                    + ": read " + before + ", wrote " + last[k]);
                        }
                        m.mmu().write(cpu, va, cpuId, i);
                        last[k] = i;
                        m.highmem().kunmap(cpu, p);
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "cpu" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        return errors;
    }

    @Test
    void twoCpusVerifyEveryWordThroughATinyWindow() throws Exception {
        Machine m = Tiny.x86(2);
        assertThat(hammer(m, 20_000)).isEmpty();
        assertThat(m.log().total()).isZero();
        assertThat(m.statTotal(Stat.KMAP)).isEqualTo(40_000);
        assertThat(m.statTotal(Stat.KUNMAP)).isEqualTo(40_000);
        assertThat(m.statTotal(Stat.FLUSH_ALL_ZERO)).isPositive();
        for (int nr = 0; nr < 4; nr++) {
            assertThat(m.pkmap().pkmapCount(nr)).as("no users left in slot " + nr).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void everyProfileAndTheReentrantLockPassTheSameRun() throws Exception {
        for (Profile p : Profile.values()) {
            MachineConfig.Builder b = Tiny.config(p, 2).lastPkmap(8).highmemPages(16);
            for (String lock : List.of("ticket", "reentrant")) {
                Machine m = Machine.build(b.lock(lock).build());
                assertThat(hammer(m, 5_000)).as(p + " " + lock).isEmpty();
                assertThat(m.log().total()).as(p + " " + lock).isZero();
            }
        }
    }

    @Test
    void twoMachinesInOneJvmAreIndependent() throws Exception {
        Machine faulty = Tiny.x86(2, Fault.UNMAP_TO_ZERO);
        Machine good = Tiny.x86(2);
        try (Cpu.Scope a = faulty.cpu(0).enter(); Cpu.Scope b = good.cpu(0).enter()) {
            long va = faulty.highmem().kmap(a.cpu(), faulty.highPage(0));
            assertThat(good.highmem().pageAddress(b.cpu(), good.highPage(0))).isZero();
            assertThat(good.highmem().kmap(b.cpu(), good.highPage(1))).isEqualTo(va);
            faulty.highmem().kunmap(a.cpu(), faulty.highPage(0));
            assertThat(faulty.pkmap().pkmapCount(1)).isZero();
            assertThat(good.pkmap().pkmapCount(1)).isEqualTo(2);
        }
        assertThat(hammer(good, 2_000)).isEmpty();
        assertThat(faulty.log()).isNotSameAs(good.log());
    }

    /** Bytes this thread allocates running {@code body} a second time (the first warms up). */
    private static long allocatedBySecondRun(Runnable body) {
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        body.run();
        long before = bean.getCurrentThreadAllocatedBytes();
        body.run();
        return bean.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void theHitPathAllocatesNothing() {
        Machine m = Tiny.x86(1);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            Page p = m.highPage(3);
            long va = m.highmem().kmap(cpu, p);
            int[] sum = new int[1];
            long allocated = allocatedBySecondRun(() -> {
                for (int i = 0; i < 100_000; i++) {
                    long v = m.highmem().kmap(cpu, p);
                    sum[0] += m.mmu().read(cpu, v, 0);
                    m.mmu().write(cpu, v, 1, i);
                    m.highmem().kunmap(cpu, p);
                }
            });
            assertThat(allocated).as("bytes for 100k kmap hits (+ read, write, kunmap)").isLessThan(1_000);
            m.highmem().kunmap(cpu, p);
            assertThat(sum[0]).isZero();
            assertThat(va).isPositive();
        }
    }

    /** Maps, writes and unmaps the tiny machine's 8 pages in turn: with 4 slots, every map misses. */
    private static void twentyThousandMisses(Machine m, Cpu cpu) {
        for (int i = 0; i < 20_000; i++) {
            Page p = m.highPage(i % 8);
            m.mmu().write(cpu, m.highmem().kmap(cpu, p), 0, i);
            m.highmem().kunmap(cpu, p);
        }
    }

    /**
     * Cycling through twice as many pages as slots makes every map a miss and every wrap a
     * flush whose shootdown IPIs the other CPU: the shootdown's per-target request numbers live
     * in the CPU's call-function data, so even this path allocates nothing.
     */
    @Test
    void theMissPathWithShootdownsAllocatesNothing() {
        Machine m = Tiny.x86(2);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            long allocated = allocatedBySecondRun(() -> twentyThousandMisses(m, cpu));
            assertThat(m.statTotal(Stat.IPI_SENT)).as("shootdowns happened").isGreaterThan(5_000);
            assertThat(allocated).as("bytes for 20k kmap misses with wrap-around shootdowns").isLessThan(1_000);
        }
    }

    /**
     * The same with the other CPU running (relaxing with IRQs on), so that every shootdown
     * waits for its acknowledgement: the wait, too, allocates nothing on the flushing CPU.
     */
    @Test
    void aShootdownThatWaitsForItsAcknowledgementAllocatesNothing() throws Exception {
        Machine m = Tiny.x86(2);
        AtomicBoolean stop = new AtomicBoolean();
        Thread other = new Thread(() -> {
            try (Cpu.Scope s = m.cpu(1).enter()) {
                while (!stop.get()) {
                    s.cpu().spinBegin("the test's idle loop");
                    for (int i = 0; i < 1_000; i++) {
                        s.cpu().cpuRelax();
                    }
                    s.cpu().spinEnd();
                }
            }
        }, "cpu1");
        other.start();
        long allocated;
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            allocated = allocatedBySecondRun(() -> twentyThousandMisses(m, cpu));
        } finally {
            stop.set(true);
            Cpus.join(other);
        }
        // CPU 1's counters are its own thread's plain stores: exact only after the join.
        assertThat(m.cpu(1).stats().get(Stat.IPI_ACKED)).as("acknowledged shootdowns").isGreaterThan(5_000);
        assertThat(allocated).as("bytes for 20k kmap misses waiting for acknowledgements").isLessThan(1_000);
        assertThat(m.log().total()).isZero();
    }
}
