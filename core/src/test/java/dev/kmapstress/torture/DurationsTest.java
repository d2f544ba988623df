package dev.kmapstress.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void readsEveryUnitAndBareSeconds() {
        assertThat(Durations.positive("--d", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.positive("--d", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.positive("--d", "10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.positive("--d", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.positive("--d", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.positive("--d", "7")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void printsWhatItReadsBack() {
        for (String s : new String[] {"250ms", "30s", "10m", "1h", "1500ms", "0.25ms", "1.000001ms"}) {
            assertThat(Durations.format(Durations.positive("--d", s))).isEqualTo(s);
        }
    }

    @Test
    void printsAPartOfAMillisecondAsIsNotAsZero() {
        assertThat(Durations.format(Duration.ofMillis(1).dividedBy(4))).isEqualTo("0.25ms");
        assertThat(Durations.format(Duration.ofNanos(1))).isEqualTo("0.000001ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "-1s", "abc", "5 parsecs", ""})
    void refusesWhatIsNotAPositiveDuration(String text) {
        assertThatThrownBy(() -> Durations.positive("--duration", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--duration " + text + ": must be a duration greater than 0");
    }

    @Test
    void zeroIsAllowedWhereItMeansOff() {
        assertThat(Durations.parse("--warmup", "0")).isZero();
        assertThatThrownBy(() -> Durations.parse("--warmup", "-1s"))
                .hasMessageStartingWith("--warmup -1s: must be a duration of 0 or more such as 500ms");
    }
}
