package dev.kmapstress.torture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.machine.Profile;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ctrl-C (an interrupt of the run's thread) ends a run cleanly with the summary so far, verdict INTERRUPTED. */
@Timeout(60)
class InterruptTest {

    @Test
    void anInterruptEndsTheRunWithTheSummarySoFar() throws InterruptedException {
        CountDownLatch firstInterval = new CountDownLatch(1);
        StringBuilder printed = new StringBuilder();
        RunOutput out = lines -> {
            synchronized (printed) {
                lines.forEach(l -> printed.append(l).append('\n'));
            }
            if (lines.stream().anyMatch(l -> l.contains("Total:"))) {
                firstInterval.countDown();
            }
        };
        TortureConfig c = TortureConfig.builder(Profile.X86_PAE).cpus(2).seed(3).duration(Duration.ofMinutes(10))
                .statInterval(Duration.ofMillis(100)).build();
        AtomicReference<TortureResult> result = new AtomicReference<>();
        Thread run = new Thread(() -> result.set(new TortureRunner(c, out).run()), "run");
        run.start();
        assertThat(firstInterval.await(30, TimeUnit.SECONDS)).isTrue();
        run.interrupt();
        run.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(run.isAlive()).isFalse();
        TortureResult r = result.get();
        assertThat(r.interrupted()).isTrue();
        assertThat(r.verdict()).isEqualTo(TortureResult.INTERRUPTED);
        assertThat(r.summary().seconds()).isLessThan(60);
        assertThat(r.summary().op("kmap").total()).isPositive();
        assertThat(r.abandoned()).isEmpty();
        assertThat(List.of(printed.toString().split("\n"))).anyMatch(l -> l.contains("(interrupted)"))
                .last().asString().startsWith("kmap-torture:--- End of test: INTERRUPTED");
    }
}
