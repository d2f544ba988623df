package dev.kmapstress.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The module's default timeout ({@code junit-platform.properties}) ends a test that spins
 * without ever blocking, as a test of a broken lock strategy does inside {@link Cpus#await}:
 * the test fails at its limit, by name, instead of holding the build. Run through the JUnit
 * Platform launcher with the module's own settings, only the limit lowered to a second.
 */
class SpinningTestTimeoutTest {

    /** Lets the spinning test's abandoned thread end once the verdict is in. */
    static volatile boolean released;
    /** Whether the spin ended (released, or at its own deadline) before the verdict. */
    static volatile boolean spinEnded;

    /** Not found by the build (a nested class): run only by the launcher below. */
    static class Spinning {
        @Test
        void waitsForALockThatIsNeverReleased() {
            try {
                Cpus.await(() -> released);
            } finally {
                spinEnded = true;
            }
        }
    }

    @Test
    void aSpinningTestFailsAtTheDefaultTimeout() {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        boolean stillSpinningAtTheVerdict;
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(Spinning.class))
                    .configurationParameter("junit.jupiter.execution.timeout.default", "1 s")
                    .build(), listener);
            stillSpinningAtTheVerdict = !spinEnded;
        } finally {
            released = true;
        }
        // In SAME_THREAD mode the verdict would come only after the spin's own 60 s deadline.
        assertThat(stillSpinningAtTheVerdict).as("the test failed while it spun, at its timeout").isTrue();
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsStartedCount()).isEqualTo(1);
        assertThat(summary.getTestsFailedCount()).isEqualTo(1);
        Throwable why = summary.getFailures().get(0).getException();
        assertThat(why).isInstanceOf(TimeoutException.class)
                .hasMessage("waitsForALockThatIsNeverReleased() timed out after 1 second");
    }
}
