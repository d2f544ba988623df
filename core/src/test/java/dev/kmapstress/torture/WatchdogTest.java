package dev.kmapstress.torture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Profile;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hangs end in reports, not in hung runs: a lost wake-up becomes the kernel's hung-task report
 * and the IPI/spinlock deadlock a hard lockup, each within twice the watchdog timeout of the
 * hang, with the stuck threads' stacks and the model's state, and the run ends in FAILURE.
 */
@Timeout(120)
class WatchdogTest {

    private static final Duration WATCHDOG = Duration.ofMillis(700);

    private static TortureConfig.Builder hangProne(Fault f) {
        return TortureConfig.builder(Profile.X86_PAE).cpus(2).seed(42).duration(Duration.ofSeconds(30))
                .statInterval(Duration.ofSeconds(30)).watchdog(WATCHDOG).hold(0).tasksPerCpu(1)
                .workload(Workload.parse("persistent")).fault(f);
    }

    /**
     * STATE_AFTER_UNLOCK loses a wake-up only when the OS deschedules the waiter between its
     * unlock and its enqueue: found on a quiet host, missed under load (as FaultDetectionTest says
     * of it). The hung-task report itself is checked in every build
     * by the model's tests (PkmapWaitTest) and the scenario of the fault.
     */
    @Test
    void aLostWakeUpIsReportedAsAHungTaskWithTheMachineState() {
        Assumptions.assumeTrue(Boolean.getBoolean("kmapstress.soak"), "needs the OS to deschedule a worker inside"
                + " a window of a few instructions (seconds on a quiet host, missed under load): run with"
                + " -Dkmapstress.soak=true");
        TestRuns.Run r = TestRuns.run(hangProne(Fault.STATE_AFTER_UNLOCK).build());
        assertThat(r.result().verdict()).as(r.output()).isEqualTo(TortureResult.FAILURE);
        Failure f = r.result().failures().get(0);
        assertThat(f.kind()).as(r.output()).isEqualTo(ReportKind.HUNG_TASK);
        assertThat(f.headline()).matches("INFO: task kmap/[0-9-]+:\\d+ blocked for more than \\d+ seconds\\.");
        assertThat(f.stuckNanos()).isBetween(WATCHDOG.toNanos(), 2 * WATCHDOG.toNanos());
        assertThat(String.join("\n", f.state())).contains("state D", "asleep in schedule()", "Java stack of",
                "Pkmap.sleepForFreeSlot", "kmap_lock: free", "task(s) in the pkmap wait queue", "PKMAP slots:");
        assertThat(r.output()).contains("--- State when INFO: task", "End of test: FAILURE");
    }

    @Test
    void anIpiSpinlockDeadlockIsReportedAsAHardLockup() {
        TestRuns.Run r = TestRuns.run(hangProne(Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH).build());
        assertThat(r.result().verdict()).as(r.output()).isEqualTo(TortureResult.FAILURE);
        Failure f = r.result().failures().get(0);
        assertThat(f.kind()).as(r.output()).isEqualTo(ReportKind.HARD_LOCKUP);
        assertThat(f.headline()).matches("NMI watchdog: Watchdog detected hard LOCKUP on cpu \\d");
        assertThat(f.stuckNanos()).isBetween(WATCHDOG.toNanos(), 2 * WATCHDOG.toNanos());
        assertThat(String.join("\n", f.state())).contains("IRQs disabled", "spinning on", "kmap_lock: held by CPU#",
                "Java stack of");
        assertThat(r.result().abandoned()).isEmpty();
    }
}
