package dev.kmapstress.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RatioAndMetricTest {

    @Test
    void ratioPropagatesRelativeErrorsInQuadrature() {
        Ratio r = Ratio.of(new Metric(30, 3, "ops/us"), new Metric(10, 0.4, "ops/us"));

        assertThat(r.value()).isEqualTo(3.0);
        // 10 % and 4 % relative errors: sqrt(0.01 + 0.0016) = 10.77 % of 3.
        assertThat(r.error()).isCloseTo(0.3231, within(1e-4));
        assertThat(r.format()).isEqualTo("3 ± 0.323");
        assertThat(r.straddles(3.2)).isTrue();
        assertThat(r.straddles(3.4)).isFalse();
    }

    @Test
    void ratioWithoutAnErrorEstimateHasNone() {
        Ratio r = Ratio.of(new Metric(30, Double.NaN, "ops/us"), new Metric(10, 1, "ops/us"));
        assertThat(r.error()).isNaN();
        assertThat(r.format()).isEqualTo("3 ± ?");
        assertThat(r.straddles(3)).isFalse();
    }

    @Test
    void intervalsOverlapWhenTheyShareAPoint() {
        Metric a = new Metric(10, 1, "ops/us");
        assertThat(a.overlaps(new Metric(11.5, 0.5, "ops/us"))).isTrue();
        assertThat(a.overlaps(new Metric(11.6, 0.5, "ops/us"))).isFalse();
        assertThat(a.overlaps(new Metric(8.5, 0.4, "ops/us"))).isFalse();
        assertThat(new Metric(10, Double.NaN, "x").overlaps(new Metric(10, Double.NaN, "x"))).isTrue();
    }

    @Test
    void numbersKeepThreeSignificantDigitsInPlainNotation() {
        assertThat(Numbers.format(0.000123456)).isEqualTo("0.000123");
        assertThat(Numbers.format(12.3456)).isEqualTo("12.3");
        assertThat(Numbers.format(12345.6)).isEqualTo("12300");
        assertThat(Numbers.format(1.5)).isEqualTo("1.5");
        assertThat(Numbers.format(0)).isEqualTo("0");
        assertThat(Numbers.format(Double.NaN)).isEqualTo("NaN");
    }
}
