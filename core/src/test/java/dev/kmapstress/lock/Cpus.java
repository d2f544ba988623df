package dev.kmapstress.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Report;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.CpuStopped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Test threads: a body run as a CPU of a machine, waiting for a condition by spinning, and
 * joining. Every wait has a deadline far beyond any healthy wait, so a broken lock fails the
 * test with what was waited for, and no thread is left spinning for the rest of the build.
 */
public final class Cpus {

    /**
     * How long a test waits for another thread before it fails: far beyond any healthy wait,
     * even on a 2-CPU machine at a load of 35, and below the default JUnit timeout.
     */
    public static final Duration DEADLINE = Duration.ofSeconds(240);

    private Cpus() {
    }

    /** Starts a thread running {@code body} as CPU {@code n}; what it throws goes to {@code errors}. */
    public static Thread start(Machine m, int n, List<Throwable> errors, Consumer<Cpu> body) {
        Thread t = new Thread(() -> {
            try (Cpu.Scope s = m.cpu(n).enter()) {
                body.accept(s.cpu());
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "cpu" + n);
        t.start();
        return t;
    }

    /** Spins until {@code condition} holds; fails after {@link #DEADLINE}. */
    public static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the condition waited for did not hold within " + DEADLINE.toSeconds() + " s");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Blocks until {@code latch} is counted down (a thread that must not spin meanwhile: one the
     * test holds still, as the host holds a descheduled CPU); fails after {@link #DEADLINE}.
     */
    public static void await(CountDownLatch latch) {
        try {
            if (!latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the latch waited for was not counted down within " + DEADLINE.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a latch", e);
        }
    }

    /**
     * Stops {@code m} ({@code smpSendStop}) at its first lockup or hung-task report, as a harness
     * does: the model's CPUs spin on after a report, so a test whose CPU hangs ends there.
     */
    public static void stopAtHangReports(Machine m) {
        m.log().addListener(r -> {
            if (r.kind().hang()) {
                m.smpSendStop(r);
            }
        });
    }

    /**
     * Runs {@code body} as CPU {@code n} on the calling thread until the machine stops it, and
     * checks why: a hard lockup of CPU {@code n} spinning on {@code what} with IRQs off (a wait
     * that never ends, under a spin_lock_irqsave), at whose report the machine is stopped as a
     * harness stops it (a lockup is a report and the CPU spins on). With no report within
     * {@link #DEADLINE} the test stops the machine and fails; a body that never waits where a
     * stop can reach it hangs here until the test's own timeout.
     */
    public static void assertHardLockupSpinningOn(Machine m, int n, String what, Consumer<Cpu> body) {
        stopAtHangReports(m);
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(DEADLINE.toMillis());
                m.smpSendStop(null);
            } catch (InterruptedException e) {
                // The body was stopped in time.
            }
        }, "deadline");
        deadline.setDaemon(true);
        deadline.start();
        Report why;
        try (Cpu.Scope s = m.cpu(n).enter()) {
            body.accept(s.cpu());
            throw new AssertionError("CPU " + n + " finished its steps: nothing hung");
        } catch (CpuStopped stopped) {
            why = stopped.reason();
        } finally {
            deadline.interrupt();
        }
        assertThat(why).as("stopped by a report, not by the test's deadline").isNotNull();
        assertThat(why.kind()).as(why.text()).isEqualTo(ReportKind.HARD_LOCKUP);
        String spin = "CPU#" + n + " spinning on " + what + " for ";
        assertThat(why.lines()).as(why.text())
                .anyMatch(line -> line.startsWith(spin) && line.contains("IRQs disabled"));
    }

    /** Joins each of {@code threads}; fails, naming the first still alive and where it is, after {@link #DEADLINE}. */
    public static void join(Thread... threads) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                StringBuilder where = new StringBuilder();
                for (StackTraceElement e : t.getStackTrace()) {
                    where.append("\n    at ").append(e);
                }
                throw new AssertionError(t.getName() + " did not end within " + DEADLINE.toSeconds() + " s:" + where);
            }
        }
    }

    /** Joins every thread of {@code threads}, as {@link #join(Thread...)}. */
    public static void join(List<Thread> threads) throws InterruptedException {
        join(threads.toArray(Thread[]::new));
    }

    /**
     * The order in which CPUs 1..{@code waiters} get {@code lock}: CPU 0 holds it while they
     * arrive one after another, each only once the previous one is visibly waiting (it has spun),
     * then CPU 0 lets go; each takes the lock once and leaves.
     */
    public static List<Integer> handOverOrder(LockStrategy lock, int waiters) throws InterruptedException {
        FakeCpu holder = new FakeCpu(0);
        List<Integer> order = new java.util.ArrayList<>();
        List<Thread> threads = new java.util.ArrayList<>();
        lock.lock(holder);
        for (int w = 1; w <= waiters; w++) {
            FakeCpu cpu = new FakeCpu(w);
            int id = w;
            Thread t = new Thread(() -> {
                lock.lock(cpu);
                order.add(id);
                lock.unlock(cpu);
            }, "waiter-" + w);
            t.start();
            threads.add(t);
            await(cpu::waiting);
        }
        lock.unlock(holder);
        join(threads);
        return order;
    }
}
