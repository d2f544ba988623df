package dev.kmapstress.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.Cpus;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.CpuStopped;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Task;
import dev.kmapstress.machine.Tiny;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Sleeping in map_new_virtual on a full window, and being woken by kunmap_high. */
class PkmapWaitTest {

    /** CPU0 fills all four slots with p0..p3 (users stay). */
    private static void fillWindow(Machine m) {
        try (Cpu.Scope s = m.cpu(0).enter()) {
            for (int k = 0; k < 4; k++) {
                m.highmem().kmap(s.cpu(), m.highPage(k));
            }
        }
    }

    private static Thread mapper(Machine m, int cpu, int page, List<Throwable> errors,
            ConcurrentHashMap<Integer, Long> got) {
        Thread t = new Thread(() -> {
            try (Cpu.Scope s = m.cpu(cpu).enter()) {
                long va = m.highmem().kmap(s.cpu(), m.highPage(page));
                m.mmu().write(s.cpu(), va, 0, 0x100 + page);
                assertThat(m.mmu().read(s.cpu(), va, 0)).isEqualTo(0x100 + page);
                got.put(cpu, va);
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "cpu" + cpu);
        t.start();
        return t;
    }

    @Test
    void everyWaiterProceedsOnceSlotsAreFreed() throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 4).build());
        fillWindow(m);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        ConcurrentHashMap<Integer, Long> got = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int cpu = 1; cpu <= 3; cpu++) {
            threads.add(mapper(m, cpu, 3 + cpu, errors, got));
        }
        WaitQueueHead q = m.pkmap().getPkmapWaitQueueHead(0);
        // A waiter joins the queue before schedule(), which is where its CPU goes idle: wait
        // for both. A sleeping CPU that never counted as idle fails here, at the deadline.
        Cpus.await(() -> q.length() == 3 && IntStream.rangeClosed(1, 3).noneMatch(c -> m.cpu(c).running()));
        for (int cpu = 1; cpu <= 3; cpu++) {
            assertThat(m.cpu(cpu).current().state()).isEqualTo(Task.TASK_UNINTERRUPTIBLE);
        }
        try (Cpu.Scope s = m.cpu(0).enter()) {
            for (int k = 0; k < 4; k++) {
                m.highmem().kunmap(s.cpu(), m.highPage(k));
            }
        }
        for (Thread t : threads) {
            t.join(20_000);
        }
        assertThat(errors).isEmpty();
        assertThat(got).hasSize(3);
        assertThat(new java.util.HashSet<>(got.values())).as("distinct slots").hasSize(3);
        assertThat(m.statTotal(Stat.SLEEP)).isGreaterThanOrEqualTo(3);
        assertThat(m.statTotal(Stat.WAKEUP)).isGreaterThanOrEqualTo(3);
        assertThat(q.waitqueueActive()).isFalse();
        assertThat(m.log().total()).isZero();
    }

    /**
     * CPUs 1 and 2 both sleep waiting to map p5 on a full window; CPU0 then frees one slot,
     * which wakes both. Returns once both threads have ended.
     */
    private static void twoWaitersForP5ThenOneSlotFreed(Machine m, List<Throwable> errors,
            ConcurrentHashMap<Integer, Long> got) throws InterruptedException {
        fillWindow(m);
        Thread t1 = mapper(m, 1, 5, errors, got);
        Thread t2 = mapper(m, 2, 5, errors, got);
        Cpus.await(() -> m.pkmap().getPkmapWaitQueueHead(0).length() == 2);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            m.highmem().kunmap(s.cpu(), m.highPage(0));
        }
        t1.join(20_000);
        t2.join(20_000);
    }

    @Test
    void aWaiterWhosePageGotMappedMeanwhileReturnsThatAddress() throws Exception {
        Machine m = Tiny.x86(3);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        ConcurrentHashMap<Integer, Long> got = new ConcurrentHashMap<>();
        twoWaitersForP5ThenOneSlotFreed(m, errors, got);
        assertThat(errors).isEmpty();
        assertThat(got.get(1)).as("both callers of p5 share one address").isEqualTo(got.get(2));
        try (Cpu.Scope s = m.cpu(0).enter()) {
            assertThat(m.pkmap().pkmapCount(m.layout().pkmapNr(got.get(1)))).isEqualTo(3);
        }
    }

    @Test
    void withoutTheRecheckTheSecondWaiterSleepsAgainAndHangs() throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 3, Fault.NO_RECHECK_AFTER_SLEEP)
                .hungTaskTimeout(Duration.ofMillis(500)).build());
        // The harness's decision: a hang ends the test's machine.
        m.log().addListener(r -> {
            if (r.kind().hang()) {
                m.smpSendStop(r);
            }
        });
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        ConcurrentHashMap<Integer, Long> got = new ConcurrentHashMap<>();
        twoWaitersForP5ThenOneSlotFreed(m, errors, got);
        assertThat(got).as("one of them mapped p5").hasSize(1);
        assertThat(errors).singleElement().isInstanceOf(CpuStopped.class);
        assertThat(m.log().count(ReportKind.HUNG_TASK)).isEqualTo(1);
        assertThat(m.pkmap().getPkmapWaitQueueHead(0).waitqueueActive()).as("the stopped sleeper left the queue")
                .isFalse();
    }

    @Test
    void aWaiterNobodyWakesIsReportedAsAHungTaskAndSleepsOn() throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 2)
                .hungTaskTimeout(Duration.ofMillis(300)).build());
        fillWindow(m);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        ConcurrentHashMap<Integer, Long> got = new ConcurrentHashMap<>();
        Thread t = mapper(m, 1, 6, errors, got);
        // At least one: the report repeats every 300 ms, which a loaded host can let pass unseen.
        Cpus.await(() -> m.log().count(ReportKind.HUNG_TASK) >= 1);
        assertThat(m.log().reports().get(0).lines())
                .contains("INFO: task kmap/1:101 blocked for more than 0 seconds.")
                .anyMatch(l -> l.startsWith("pkmap wait queues: colour 0: 1 waiting"))
                .anyMatch(l -> l.startsWith("pkmap_count: 2 2 2 2"));
        assertThat(t.isAlive()).as("a hung task is a report: the task sleeps on").isTrue();
        assertThat(m.pkmap().getPkmapWaitQueueHead(0).length()).isEqualTo(1);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            m.highmem().kunmap(s.cpu(), m.highPage(2));
        }
        t.join(20_000);
        assertThat(errors).isEmpty();
        assertThat(got).containsKey(1);
    }

    @Test
    void aHungTaskIsReportedAgainAfterEachTimeoutUntilTheWarningsRunOut() throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 2)
                .hungTaskTimeout(Duration.ofMillis(20)).build());
        fillWindow(m);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread t = mapper(m, 1, 6, errors, new ConcurrentHashMap<>());
        Cpus.await(() -> m.log().count(ReportKind.HUNG_TASK) == dev.kmapstress.kernel.Watchdog.HUNG_TASK_WARNINGS);
        long until = System.nanoTime() + 200_000_000L;
        Cpus.await(() -> System.nanoTime() > until);
        assertThat(m.log().count(ReportKind.HUNG_TASK)).as("hung_task_warnings spent").isEqualTo(10);
        m.smpSendStop(null);
        t.join(20_000);
        assertThat(errors).singleElement().isInstanceOf(CpuStopped.class);
    }

    @Test
    void wakeOneStillWakesTheOnlyWaiter() throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 2, Fault.WAKE_ONE).build());
        fillWindow(m);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        ConcurrentHashMap<Integer, Long> got = new ConcurrentHashMap<>();
        Thread t = mapper(m, 1, 6, errors, got);
        Cpus.await(() -> m.pkmap().getPkmapWaitQueueHead(0).length() == 1);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            m.highmem().kunmap(s.cpu(), m.highPage(2));
        }
        t.join(20_000);
        assertThat(errors).isEmpty();
        assertThat(got).containsKey(1);
    }
}
