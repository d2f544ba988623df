package dev.kmapstress.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.Stat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The benchmarks do what their javadoc says they measure: called directly, a few thousand
 * times on one thread (no JMH run, no timing), the model's statistics show the path taken.
 */
class BenchmarkPathsTest {

    /** How long a test waits for a benchmark thread it started: far beyond any healthy run. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static ThreadParams thread(int index, int count) {
        return new ThreadParams(index, count, 0, 1, 0, 1, index, count, index, count);
    }

    private static PoolMachine pool(PoolMachine.Pressure pressure, String profile, int cpus) {
        PoolMachine m = new PoolMachine();
        m.lock = "ticket";
        m.profile = profile;
        m.pressure = pressure;
        m.setUp(cpus);
        return m;
    }

    private static PoolWalker walker(PoolMachine m, int index, int count) {
        PoolWalker w = new PoolWalker();
        w.setUp(m, thread(index, count));
        return w;
    }

    @Test
    void hitRoundTripHitsEveryTimeAndLeavesTheCountAsItWas() {
        KmapHigh.HitMachine m = new KmapHigh.HitMachine();
        m.lock = "ticket";
        m.profile = "x86-pae";
        m.statistics = true;
        m.setUp(1);
        KmapHigh.PinnedPage t = new KmapHigh.PinnedPage();
        t.setUp(m, thread(0, 1));
        KmapHigh bench = new KmapHigh();

        long vaddr = 0;
        for (int i = 0; i < 1000; i++) {
            vaddr = bench.hitRoundTrip(m, t);
        }

        Machine machine = m.machine();
        assertThat(machine.statTotal(Stat.KMAP_HIT)).isEqualTo(1000);
        assertThat(machine.statTotal(Stat.KMAP_MISS)).as("only the pin missed").isEqualTo(1);
        assertThat(machine.pkmap().pkmapCount(machine.layout().pkmapNr(vaddr))).isEqualTo(2);
        t.leave();
        m.checkKernelLog();
    }

    @Test
    void poolRoundTripAtPressureMoreMissesEveryTimeAndWrapsEveryWindow() {
        PoolMachine m = pool(PoolMachine.Pressure.MORE, "x86-pae", 1);
        PoolWalker w = walker(m, 0, 1);
        Machine machine = m.machine();
        int slots = machine.layout().lastPkmap();
        assertThat(machine.highPageCount()).isEqualTo(4 * slots);

        for (int i = 0; i < 3 * machine.highPageCount(); i++) {
            w.useNextPage(machine, true);
        }

        assertThat(machine.statTotal(Stat.KMAP_HIT)).isZero();
        assertThat(machine.statTotal(Stat.KMAP_MISS)).isEqualTo(3L * machine.highPageCount());
        assertThat(machine.statTotal(Stat.FLUSH_ALL_ZERO)).isGreaterThanOrEqualTo(3L * machine.highPageCount() / slots - 1);
        m.checkKernelLog();
    }

    @Test
    void poolRoundTripAtPressureFewerHitsOnceEveryPageIsMapped() {
        PoolMachine m = pool(PoolMachine.Pressure.FEWER, "arm-like", 1);
        PoolWalker w = walker(m, 0, 1);
        Machine machine = m.machine();
        int pages = machine.highPageCount();

        for (int i = 0; i < 3 * pages; i++) {
            w.useNextPage(machine, true);
        }

        assertThat(machine.statTotal(Stat.KMAP_MISS)).isEqualTo(pages);
        assertThat(machine.statTotal(Stat.KMAP_HIT)).isEqualTo(2L * pages);
        m.emptyWindow();
        assertThat(machine.highmem().pageAddress(machine.cpu(0), machine.highPage(0)))
                .as("the iteration reset frees every unused slot").isZero();
    }

    @Test
    void aWrongTranslationFailsTheRoundTrip() {
        PoolMachine m = pool(PoolMachine.Pressure.EQUAL, "x86-pae", 1);
        m.machine().highPage(0).payload()[0] = 12345;

        assertThatThrownBy(() -> walker(m, 0, 1).useNextPage(m.machine(), true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("read 12345 through a mapping of p0");
    }

    @Test
    void walkersOfDifferentThreadsVisitInterleavedPages() {
        PoolMachine m = pool(PoolMachine.Pressure.FEWER, "x86-pae", 2);
        PoolWalker second = walker(m, 1, 2);
        assertThat(List.of(second.nextPage(m.machine()).index(), second.nextPage(m.machine()).index()))
                .containsExactly(1, 3);
    }

    @Test
    void handoffMapsOnOneCpuAndUnmapsOnTheOther() {
        PoolMachine m = pool(PoolMachine.Pressure.MORE, "x86-pae", 2);
        Handoff.Mappings mappings = new Handoff.Mappings();
        mappings.setUp(m);
        PoolWalker mapperCpu = walker(m, 0, 2);
        PoolWalker unmapperCpu = walker(m, 1, 2);
        Handoff bench = new Handoff();
        Control control = new Control();
        Machine machine = m.machine();

        for (int i = 0; i < 2000; i++) {
            bench.mapper(m, mapperCpu, mappings, control);
            assertThat(bench.unmapper(m, unmapperCpu, mappings, control)).isEqualTo((2 * i) % machine.highPageCount());
        }

        assertThat(machine.cpu(0).stats().get(Stat.KMAP)).isEqualTo(2000);
        assertThat(machine.cpu(1).stats().get(Stat.KUNMAP)).isEqualTo(2000);
        control.stopMeasurement = true;
        assertThat(bench.mapper(m, mapperCpu, mappings, control)).as("no new map once the run ends").isZero();
        assertThat(bench.unmapper(m, unmapperCpu, mappings, control)).as("nothing left to release").isEqualTo(-1);
        m.checkKernelLog();
    }

    @Test
    void aMapperFacingAFullQueueAtTheEndReleasesItsOwnMapping() throws Exception {
        PoolMachine m = pool(PoolMachine.Pressure.MORE, "arm-like", 2);
        Handoff.Mappings mappings = new Handoff.Mappings();
        mappings.setUp(m);
        PoolWalker mapperCpu = walker(m, 0, 2);
        Handoff bench = new Handoff();
        Control control = new Control();
        int capacity = 2 * m.machine().layout().lastPkmap();
        for (int i = 0; i < capacity; i++) {
            mappings.queue.add(m.machine().highPage(1));
        }
        Thread stopper = new Thread(() -> control.stopMeasurement = true);

        CompletableFuture<Long> mapped = CompletableFuture.supplyAsync(() -> bench.mapper(m, mapperCpu, mappings, control));
        stopper.start();

        assertThat(mapped.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotZero();
        assertThat(m.machine().statTotal(Stat.KUNMAP)).isEqualTo(1);
    }

    @Test
    void theFlusherFreesTheMappersUnusedSlots() {
        PoolMachine m = pool(PoolMachine.Pressure.FEWER, "x86-pae", 2);
        PoolWalker mapperCpu = walker(m, 1, 2);
        Machine machine = m.machine();
        new Flusher().mapper(m, mapperCpu);
        Cpu cpu0 = machine.cpu(0);
        assertThat(machine.highmem().pageAddress(cpu0, machine.highPage(1))).isNotZero();

        new Flusher().flusher(m, walker(m, 0, 2));

        assertThat(machine.highmem().pageAddress(cpu0, machine.highPage(1))).isZero();
        assertThat(machine.statTotal(Stat.TLB_FLUSH)).isEqualTo(1);
    }

    @Test
    void baselinesTakeAndReleaseTheLockAndFindThePinnedPage() {
        Baselines.LockMachine m = new Baselines.LockMachine();
        m.lock = "reentrant";
        m.setUp(1);
        Baselines.LockCpu t = new Baselines.LockCpu();
        t.setUp(m, thread(0, 1));
        Baselines bench = new Baselines();

        bench.bareLockUnlock(m, t);
        long vaddr = bench.pageAddressLookup(m, t);

        assertThat(m.spinlock.holder()).isEqualTo(-1);
        assertThat(t.cpu.preemptCount()).isZero();
        assertThat(m.machine().layout().inPkmapWindow(vaddr)).isTrue();
        t.leave();
    }

    @Test
    void theCasPairAndTheCpuTurnLeaveNothingBehind() {
        Baselines bench = new Baselines();
        Baselines.Word w = new Baselines.Word();
        assertThat(bench.casReleasePair(w)).isTrue();
        assertThat(bench.casReleasePair(w)).as("the release store reset the word").isTrue();

        Baselines.PlainMachine m = new Baselines.PlainMachine();
        m.setUp(1);
        Baselines.IdleCpu t = new Baselines.IdleCpu();
        t.setUp(m, thread(0, 1));
        assertThat(bench.cpuEnterExit(t).owner()).isNull();
        assertThat(bench.payloadRead(t)).isEqualTo(1);
    }

    @Test
    void aPinnedCpuMustBeLeftByTheThreadThatEnteredIt() {
        Baselines.LockMachine m = new Baselines.LockMachine();
        m.lock = "ticket";
        m.setUp(1);
        Baselines.LockCpu t = new Baselines.LockCpu();
        t.setUp(m, thread(0, 1));

        assertThatThrownBy(() -> CompletableFuture.runAsync(t::leave).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    private static KmapLocal.LocalMachine local(String profile, int cpus) {
        return local(profile, true, cpus);
    }

    private static KmapLocal.LocalMachine local(String profile, boolean statistics, int cpus) {
        KmapLocal.LocalMachine m = new KmapLocal.LocalMachine();
        m.profile = profile;
        m.statistics = statistics;
        m.setUp(cpus);
        return m;
    }

    private static KmapLocal.LocalCpu localCpu(KmapLocal.LocalMachine m, int index, int count) {
        KmapLocal.LocalCpu t = new KmapLocal.LocalCpu();
        t.setUp(m, thread(index, count));
        return t;
    }

    @Test
    void localRoundTripsUseTheCpusOwnFixmapSlotAndLeaveTheStackEmpty() {
        KmapLocal.LocalMachine m = local("x86-pae", 2);
        KmapLocal.LocalCpu t = localCpu(m, 1, 2);
        KmapLocal bench = new KmapLocal();
        Layout l = m.machine.layout();
        long cpu1FirstSlot = l.fixToVirt(l.fixKmapBegin() + l.kmMaxIdx());

        assertThat(bench.localRoundTrip(m, t)).isEqualTo(cpu1FirstSlot);
        assertThat(bench.atomicRoundTrip(m, t)).isEqualTo(cpu1FirstSlot);
        assertThat(m.machine.kmapLocal().depth(t.cpu)).isZero();
        assertThat(t.cpu.preemptCount()).isZero();
        assertThat(m.machine.statTotal(Stat.KMAP)).as("no persistent kmap").isZero();
        t.leave();
    }

    @Test
    void theStatisticsParameterTurnsTheLocalMachinesCountersOnAndOff() {
        KmapLocal bench = new KmapLocal();
        for (boolean statistics : new boolean[] {true, false}) {
            KmapLocal.LocalMachine m = local("x86-pae", statistics, 1);
            KmapLocal.LocalCpu t = localCpu(m, 0, 1);

            bench.localRoundTrip(m, t);
            bench.localRoundTrip(m, t);

            assertThat(m.machine.statTotal(Stat.KMAP_LOCAL)).as("statistics=" + statistics)
                    .isEqualTo(statistics ? 2 : 0);
            t.leave();
        }
    }

    @Test
    void theCopyBenchmarksMoveTheWordsTheySay() {
        KmapLocal.LocalMachine m = local("arm-like", 1);
        KmapLocal.LocalCpu t = localCpu(m, 0, 1);
        KmapLocal bench = new KmapLocal();

        bench.memcpyToPage(m, t);
        bench.copyHighpage(m, t);

        assertThat(t.page.words()).isEqualTo(1024);
        assertThat(t.other.peek(0)).isEqualTo(1);
        assertThat(t.other.peek(KmapLocal.MEMCPY_WORDS - 1)).isEqualTo(KmapLocal.MEMCPY_WORDS);
        assertThat(t.other.peek(KmapLocal.MEMCPY_WORDS)).isZero();
        t.leave();
    }

    @Test
    void theMixedWorkloadSplitsUsesByTheShare() {
        Mixed.MixedMachine m = new Mixed.MixedMachine();
        m.lock = "ticket";
        m.profile = "x86-pae";
        m.persistentPercent = 10;
        m.setUp(1);
        Mixed.MixedWalker w = new Mixed.MixedWalker();
        w.setUp(m, thread(0, 1));
        Mixed bench = new Mixed();

        for (int i = 0; i < 1000; i++) {
            bench.mixed(m, w);
        }

        assertThat(m.machine().statTotal(Stat.KMAP)).isEqualTo(100);
        assertThat(m.machine().highPageCount()).isEqualTo(m.machine().layout().lastPkmap());
        m.checkKernelLog();
    }

    @Test
    void aKernelReportFailsTheIteration() {
        PoolMachine m = pool(PoolMachine.Pressure.FEWER, "x86-pae", 1);
        m.machine().log().report(ReportKind.WARNING, 0, List.of("WARNING: CPU: 0 PID: 100 at somewhere"));

        assertThatThrownBy(m::checkKernelLog).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the model reported 1 problem(s) during the iteration, first: WARNING:");
    }
}
