package dev.kmapstress.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.Cpus;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.log.Site;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Task;
import dev.kmapstress.machine.Tiny;
import dev.kmapstress.mm.Steps;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * schedule() and try_to_wake_up() as a kernel wait uses them: {@code __set_current_state},
 * {@code add_wait_queue}, {@code schedule}, {@code remove_wait_queue}, on CPU 1; the
 * {@code wake_up} from CPU 0 once the entry is queued. The hung-task timeout is an hour unless
 * a test is about it, so every wake-up here must come from the waker, not from the sleeper's
 * periodic hung-task check.
 */
class ScheduleTest {

    private final Steps steps = new Steps();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    /** What the sleeper saw right after its schedule() returned. */
    private final Map<String, Object> after = new ConcurrentHashMap<>();

    private static Machine machine(Steps steps, Duration hungTaskTimeout) {
        return Machine.build(Tiny.config(Profile.X86_PAE, 2).hungTaskTimeout(hungTaskTimeout).build(), steps);
    }

    private static WaitQueueHead queue(Machine m) {
        return new WaitQueueHead(m.newSpinlock("wq.lock"), m.scheduler(), false);
    }

    /** CPU 1's current task waits on {@code q} in the kernel's order of steps. */
    private Thread sleeper(Machine m, WaitQueueHead q) {
        return Cpus.start(m, 1, errors, cpu -> {
            Task current = cpu.current();
            m.scheduler().setCurrentState(cpu, Task.TASK_UNINTERRUPTIBLE);
            q.addWaitQueue(cpu, current.waitEntry());
            m.scheduler().schedule(cpu);
            after.put("interrupted", Thread.currentThread().isInterrupted());
            after.put("running", cpu.running());
            after.put("sleepingSince", current.sleepingSince());
            q.removeWaitQueue(cpu, current.waitEntry());
        });
    }

    /** Whether {@code t} is parked in schedule(), not spinning nor anywhere else. */
    private static boolean parkedInSchedule(Machine m, Thread t) {
        return t.getState() == Thread.State.TIMED_WAITING && LockSupport.getBlocker(t) == m.scheduler();
    }

    private static void onCpu0(Machine m, Consumer<Cpu> body) {
        try (Cpu.Scope s = m.cpu(0).enter()) {
            body.accept(s.cpu());
        }
    }

    /** wake_up() of {@code q} from CPU 0, then the sleeper's end, without an error. */
    private void wakeUpAndJoin(Machine m, WaitQueueHead q, Thread sleeper) throws InterruptedException {
        onCpu0(m, q::wakeUp);
        Cpus.join(sleeper);
        assertThat(errors).isEmpty();
    }

    @Test
    void aSleeperIsParkedWithItsCpuIdleUntilTheWakeUpAndRunsAfterIt() throws Exception {
        Machine m = machine(steps, Duration.ofHours(1));
        WaitQueueHead q = queue(m);
        Task task = m.cpu(1).current();
        Thread t = sleeper(m, q);
        Cpus.await(() -> parkedInSchedule(m, t));
        assertThat(task.state()).isEqualTo(Task.TASK_UNINTERRUPTIBLE);
        assertThat(m.cpu(1).running()).as("a sleeping CPU is idle").isFalse();
        assertThat(task.sleepingSince()).as("khungtaskd's clock started").isNotZero();
        wakeUpAndJoin(m, q, t);
        assertThat(after).containsEntry("running", true).containsEntry("interrupted", false)
                .containsEntry("sleepingSince", 0L);
        assertThat(q.waitqueueActive()).isFalse();
        assertThat(steps.of(1)).containsExactly(
                "set_current_state TASK_UNINTERRUPTIBLE",
                "spin_lock_irqsave wq.lock", "add_wait_queue kmap/1:101", "spin_unlock_irqrestore wq.lock",
                "schedule: kmap/1:101 sleeps", "schedule: kmap/1:101 runs again",
                "spin_lock_irqsave wq.lock", "remove_wait_queue kmap/1:101", "spin_unlock_irqrestore wq.lock");
        assertThat(steps.of(0)).containsExactly(
                "spin_lock_irqsave wq.lock", "try_to_wake_up kmap/1:101", "spin_unlock_irqrestore wq.lock");
    }

    @Test
    void anInterruptDoesNotEndAnUninterruptibleSleepAndIsStillPendingAfterIt() throws Exception {
        Machine m = machine(null, Duration.ofHours(1));
        WaitQueueHead q = queue(m);
        Thread t = sleeper(m, q);
        Cpus.await(() -> parkedInSchedule(m, t));
        t.interrupt();
        Cpus.await(() -> parkedInSchedule(m, t) && !t.isInterrupted());
        assertThat(m.cpu(1).current().state()).isEqualTo(Task.TASK_UNINTERRUPTIBLE);
        wakeUpAndJoin(m, q, t);
        assertThat(after).containsEntry("interrupted", true);
    }

    @Test
    void aWakeUpBeforeScheduleIsNotLost() {
        Machine m = machine(steps, Duration.ofHours(1));
        onCpu0(m, cpu -> {
            Task task = cpu.current();
            assertThat(m.scheduler().tryToWakeUp(task)).as("a running task is not woken").isFalse();
            m.scheduler().setCurrentState(cpu, Task.TASK_UNINTERRUPTIBLE);
            assertThat(m.scheduler().tryToWakeUp(task)).isTrue();
            m.scheduler().schedule(cpu);
            assertThat(cpu.running()).isTrue();
            m.scheduler().setCurrentState(cpu, Task.TASK_RUNNING);
        });
        assertThat(steps.of(0)).containsExactly("set_current_state TASK_UNINTERRUPTIBLE",
                "schedule: kmap/0:100 runnable", "set_current_state TASK_RUNNING");
    }

    @Test
    void scheduleInsideAnAtomicSectionIsABugReport() {
        Machine m = machine(null, Duration.ofHours(1));
        onCpu0(m, cpu -> {
            cpu.preemptDisable();
            m.scheduler().schedule(cpu);
            cpu.preemptEnable();
        });
        assertThat(m.log().count(ReportKind.SCHEDULE_WHILE_ATOMIC)).isEqualTo(1);
        assertThat(m.log().reports().get(0).headline()).isEqualTo("BUG: scheduling while atomic: kmap/0/100/0x00000001");
    }

    @Test
    void mightSleepInAtomicContextReportsAgainOnlyASecondAfterItsLastReport() {
        Machine m = machine(null, Duration.ofHours(1));
        Site site = new Site("include/linux/highmem-internal.h", 44, "kmap");
        onCpu0(m, cpu -> {
            cpu.preemptDisable();
            m.scheduler().mightSleep(cpu, site);
            long afterFirst = System.nanoTime();
            Cpus.await(() -> System.nanoTime() - afterFirst > 1_000_000_000L);
            long beforeSecond = System.nanoTime();
            m.scheduler().mightSleep(cpu, site);
            assertThat(m.log().count(ReportKind.SLEEP_IN_ATOMIC)).as("a second after the first").isEqualTo(2);
            m.scheduler().mightSleep(cpu, site);
            long afterThird = System.nanoTime();
            cpu.preemptEnable();
            // Only a host that stalled this thread for a second between two calls can tell nothing.
            assumeTrue(afterThird - beforeSecond < 1_000_000_000L, "the host stalled the test for a second");
            assertThat(m.log().count(ReportKind.SLEEP_IN_ATOMIC)).as("rate-limited to one per second").isEqualTo(2);
        });
    }

    @Test
    void betweenHungTaskReportsTheSleeperStaysParked() throws Exception {
        Machine m = machine(null, Duration.ofMillis(50));
        WaitQueueHead q = queue(m);
        Thread t = sleeper(m, q);
        Cpus.await(() -> m.log().count(ReportKind.HUNG_TASK) >= 1);
        // khungtaskd looks again one timeout later: the task sleeps in between, it does not spin.
        Cpus.await(() -> parkedInSchedule(m, t));
        wakeUpAndJoin(m, q, t);
    }

    @Test
    void switchingToTheCurrentTaskChangesNothing() {
        Machine m = machine(steps, Duration.ofHours(1));
        onCpu0(m, cpu -> {
            Task current = cpu.current();
            assertThat(m.scheduler().contextSwitch(cpu, current)).isTrue();
            assertThat(cpu.current()).isSameAs(current);
            assertThat(current.onCpu()).isTrue();
        });
        assertThat(steps.of(0)).isEmpty();
    }

    @Test
    void aContextSwitchClearsTheOutgoingTasksPtesBeforeItRestoresTheIncomingOnes() {
        Machine m = machine(steps, Duration.ofHours(1));
        onCpu0(m, cpu -> {
            Task t = cpu.current();
            Task u = m.scheduler().newTask("u");
            long a = m.kmapLocal().kmapLocalPage(cpu, m.highPage(0));
            m.scheduler().contextSwitch(cpu, u);
            long b = m.kmapLocal().kmapLocalPage(cpu, m.highPage(1));
            assertThat(b).isEqualTo(a);
            steps.clear();
            m.scheduler().contextSwitch(cpu, t);
            assertThat(steps.of(0)).containsExactly(
                    "context_switch u:102 kmap/0:100",
                    "kmap_local_sched_out: 0xfffbb000 cleared", "flush_tlb_one_kernel 0xfffbb000",
                    "kmap_local_sched_in: 0xfffbb000 -> p0");
        });
    }
}
