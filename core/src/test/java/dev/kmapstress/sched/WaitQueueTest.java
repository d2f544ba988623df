package dev.kmapstress.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.Cpus;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Task;
import dev.kmapstress.machine.Tiny;
import dev.kmapstress.machine.Tracer;
import dev.kmapstress.machine.WaitQueueEntry;
import dev.kmapstress.mm.Steps;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * wait_queue_head_t on one CPU: {@code __add_wait_queue} links at the head, {@code list_del}
 * unlinks from anywhere, {@code waitqueue_active} sees any entry, and {@code __wake_up} walks
 * from the head calling {@code try_to_wake_up} on each entry, all under the queue's lock.
 */
class WaitQueueTest {

    private final Steps steps = new Steps();
    private final Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 1).build(), steps);
    private final WaitQueueHead q = new WaitQueueHead(m.newSpinlock("wq.lock"), m.scheduler(), false);

    /** A task of this machine that is not running anywhere, in {@code state}. */
    private Task task(String name, int state) {
        Task t = m.scheduler().newTask(name);
        t.setState(state);
        return t;
    }

    /** add_wait_queue() of each task's entry, in order. */
    private void enqueue(Cpu cpu, Task... tasks) {
        for (Task t : tasks) {
            q.addWaitQueue(cpu, t.waitEntry());
        }
    }

    @Test
    void removingTheOlderEntryKeepsTheNewerQueued() {
        Task a = task("a", Task.TASK_UNINTERRUPTIBLE);
        Task b = task("b", Task.TASK_UNINTERRUPTIBLE);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            enqueue(cpu, a, b);
            assertThat(q.length()).isEqualTo(2);
            q.removeWaitQueue(cpu, a.waitEntry());
            assertThat(a.waitEntry().queued()).isFalse();
            assertThat(b.waitEntry().queued()).isTrue();
            assertThat(q.length()).isEqualTo(1);
            assertThat(q.waitqueueActive()).as("b is still queued").isTrue();
            q.wakeUp(cpu);
            assertThat(b.state()).isEqualTo(Task.TASK_RUNNING);
            assertThat(a.state()).as("a left the queue before the wake-up").isEqualTo(Task.TASK_UNINTERRUPTIBLE);
            q.removeWaitQueue(cpu, b.waitEntry());
            assertThat(q.waitqueueActive()).isFalse();
            assertThat(q.length()).isZero();
        }
    }

    @Test
    void removingTheNewerEntryKeepsTheOlderQueued() {
        WaitQueueEntry[] abc = {task("a", Task.TASK_UNINTERRUPTIBLE).waitEntry(),
            task("b", Task.TASK_UNINTERRUPTIBLE).waitEntry(), task("c", Task.TASK_UNINTERRUPTIBLE).waitEntry()};
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            for (WaitQueueEntry e : abc) {
                q.addWaitQueue(cpu, e);
            }
            q.removeWaitQueue(cpu, abc[1]);
            q.removeWaitQueue(cpu, abc[2]);
            assertThat(q.length()).as("a, the oldest, is left").isEqualTo(1);
            q.removeWaitQueue(cpu, abc[0]);
            assertThat(q.waitqueueActive()).as("the last entry gone, the head links to itself").isFalse();
            assertThat(q.length()).isZero();
            q.addWaitQueue(cpu, abc[2]);
            assertThat(q.length()).as("the emptied queue takes entries again").isEqualTo(1);
        }
    }

    @Test
    void wakeUpWakesEveryEntryAndCountsOnlyTasksThatWereAsleep() {
        Task a = task("a", Task.TASK_UNINTERRUPTIBLE);
        Task b = task("b", Task.TASK_RUNNING);
        Task c = task("c", Task.TASK_UNINTERRUPTIBLE);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            enqueue(cpu, a, b, c);
            steps.clear();
            q.wakeUp(cpu);
            assertThat(List.of(a.state(), b.state(), c.state())).containsOnly(Task.TASK_RUNNING);
            assertThat(cpu.stats().get(Stat.WAKEUP)).as("b was running: try_to_wake_up returned 0").isEqualTo(2);
            assertThat(steps.of(0)).as("__wake_up walks from the head: the newest entry first")
                    .containsExactly("spin_lock_irqsave wq.lock", "try_to_wake_up c:" + c.pid(),
                            "try_to_wake_up a:" + a.pid(), "spin_unlock_irqrestore wq.lock");
            q.wakeUp(cpu);
            assertThat(cpu.stats().get(Stat.WAKEUP)).as("nobody left asleep").isEqualTo(2);
        }
    }

    /**
     * __wake_up_common reads each entry's successor before it wakes the entry's task
     * (list_for_each_entry_safe_from), so an entry taken off the queue as soon as its task is
     * woken, as autoremove_wake_function does inside the walk, leaves the walk on its way. Here
     * the tracer takes every entry off at its try_to_wake_up; the walk must still reach the
     * older entry, instead of going round the newer one, which list_del_init links to itself.
     */
    @Test
    void anEntryTakenOffWhenItsTaskIsWokenLeavesTheWalkOnItsWay() {
        Tracer autoremove = (cpu, point, subject, text) -> {
            if (text.startsWith("try_to_wake_up ")) {
                ((Task) subject).waitEntry().listDelInit();
            }
        };
        List<Task> ab = sleepTwoThenWakeUp(Machine.build(Tiny.config(Profile.X86_PAE, 1).build(), autoremove), false);
        assertThat(ab).as("both woken").allMatch(t -> t.state() == Task.TASK_RUNNING);
        assertThat(ab).as("both taken off").noneMatch(t -> t.waitEntry().queued());
    }

    /**
     * a, b, then a again: an entry added while still queued (as two CPUs editing the queue at
     * once can leave it) links a and b in a loop without the head.
     */
    private static void enqueueLoop(WaitQueueHead wq, Cpu cpu, Task a, Task b) {
        wq.addWaitQueue(cpu, a.waitEntry());
        wq.addWaitQueue(cpu, b.waitEntry());
        wq.addWaitQueue(cpu, a.waitEntry());
    }

    /**
     * The wake-up walk round such a loop, past one entry per task, spins where the lockup
     * detector sees it, a hard lockup under the queue's lock, and the machine can stop it.
     */
    @Test
    void aWakeUpRoundALoopIsAHardLockupUnderTheQueuesLock() {
        Machine one = Machine.build(Tiny.config(Profile.X86_PAE, 1).lockupTimeout(Duration.ofMillis(400)).build());
        WaitQueueHead wq = new WaitQueueHead(one.newSpinlock("wq.lock"), one.scheduler(), false);
        Task a = one.scheduler().newTask("a");
        Task b = one.scheduler().newTask("b");
        Cpus.assertHardLockupSpinningOn(one, 0, WaitQueueHead.ENDLESS_QUEUE, cpu -> {
            enqueueLoop(wq, cpu, a, b);
            wq.wakeUp(cpu);
        });
    }

    /** A report's count of such a loop stops after one entry per task. */
    @Test
    void theReportedLengthOfALoopStopsAtOneEntryPerTask() {
        Task a = task("a", Task.TASK_UNINTERRUPTIBLE);
        Task b = task("b", Task.TASK_UNINTERRUPTIBLE);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            enqueueLoop(q, s.cpu(), a, b);
        }
        assertThat(m.scheduler().nrThreads()).as("kmap/0, a and b").isEqualTo(3);
        assertThat(q.length()).isEqualTo(3);
    }

    @Test
    void withWakeOneOnlyTheNewestEntryIsWoken() {
        List<Task> ab = sleepTwoThenWakeUp(Tiny.x86(1, Fault.WAKE_ONE), true);
        assertThat(ab.get(1).state()).isEqualTo(Task.TASK_RUNNING);
        assertThat(ab.get(0).state()).isEqualTo(Task.TASK_UNINTERRUPTIBLE);
    }

    /**
     * On a new queue of {@code machine} (waking one entry only if {@code wakeOne}): tasks a and
     * b go to sleep on it, a first, then CPU 0 wakes it up; returns a and b. A wake-up that
     * goes round the queue is stopped at its lockup report, so it fails the test then, not at
     * the test's timeout with the walk left spinning.
     */
    private static List<Task> sleepTwoThenWakeUp(Machine machine, boolean wakeOne) {
        Cpus.stopAtHangReports(machine);
        WaitQueueHead wq = new WaitQueueHead(machine.newSpinlock("wq.lock"), machine.scheduler(), wakeOne);
        Task a = machine.scheduler().newTask("a");
        Task b = machine.scheduler().newTask("b");
        a.setState(Task.TASK_UNINTERRUPTIBLE);
        b.setState(Task.TASK_UNINTERRUPTIBLE);
        try (Cpu.Scope s = machine.cpu(0).enter()) {
            wq.addWaitQueue(s.cpu(), a.waitEntry());
            wq.addWaitQueue(s.cpu(), b.waitEntry());
            wq.wakeUp(s.cpu());
        }
        return List.of(a, b);
    }

    @Test
    void queueEditsAreTracedUnderTheQueuesLock() {
        Task a = task("a", Task.TASK_UNINTERRUPTIBLE);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            steps.clear();
            q.addWaitQueue(cpu, a.waitEntry());
            q.removeWaitQueue(cpu, a.waitEntry());
            assertThat(steps.of(0)).containsExactly(
                    "spin_lock_irqsave wq.lock", "add_wait_queue a:" + a.pid(), "spin_unlock_irqrestore wq.lock",
                    "spin_lock_irqsave wq.lock", "remove_wait_queue a:" + a.pid(), "spin_unlock_irqrestore wq.lock");
            assertThat(a.waitEntry().task()).isSameAs(a);
        }
    }
}
