package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The distribution-free interval of a median: known rounds give known order statistics. */
class MedianIntervalTest {

    @ParameterizedTest(name = "{0} rounds: x({1})..x(n+1-{1}), coverage {2}")
    @CsvSource({"1, 1, 0.0", "2, 1, 0.5", "5, 1, 0.9375", "6, 1, 0.96875", "8, 1, 0.9921875",
            "9, 2, 0.9609375", "10, 2, 0.978515625", "12, 3, 0.96142578125", "20, 6, 0.95861053466796875"})
    void theLowerRankIsTheLargestReaching95Percent(int n, int j, double coverage) {
        assertThat(MedianInterval.lowerRank(n)).isEqualTo(j);
        assertThat(MedianInterval.coverage(n)).isCloseTo(coverage, within(1e-12));
    }

    @Test
    void nineRoundsDropTheMostExtremeOnEachSide() {
        MedianInterval i = MedianInterval.of(new double[] {9, 1, 5, 3, 7, 2, 8, 4, 6});
        assertThat(i).isEqualTo(new MedianInterval(5, 2, 8));
    }

    @Test
    void anOutlierMovesNeitherEndOfNineRounds() {
        assertThat(MedianInterval.of(new double[] {100, 101, 99, 102, 98, 100, 101, 99, 1e9}))
                .isEqualTo(MedianInterval.of(new double[] {100, 101, 99, 102, 98, 100, 101, 99, 103}));
    }

    @Test
    void fiveRoundsGiveTheWholeRangeAtLessThan95Percent() {
        assertThat(MedianInterval.of(new double[] {30, 10, 20, 50, 40})).isEqualTo(new MedianInterval(30, 10, 50));
        assertThat(MedianInterval.coverage(5)).isLessThan(MedianInterval.LEVEL);
    }

    @Test
    void anEvenCountTakesTheMeanOfTheMiddleTwo() {
        assertThat(MedianInterval.of(new double[] {4, 1, 3, 2, 6, 5})).isEqualTo(new MedianInterval(3.5, 1, 6));
    }

    @Test
    void overlapIncludesTouching() {
        MedianInterval a = new MedianInterval(2, 1, 3);
        assertThat(a.overlaps(new MedianInterval(4, 3, 5))).isTrue();
        assertThat(a.overlaps(new MedianInterval(4, 3.5, 5))).isFalse();
        assertThat(new MedianInterval(4, 3.5, 5).overlaps(a)).isFalse();
    }

    @Test
    void refusesNoRoundsAndAnIntervalWithoutItsMedian() {
        assertThatThrownBy(() -> MedianInterval.of(new double[0])).hasMessageContaining("no rounds");
        assertThatThrownBy(() -> new MedianInterval(5, 6, 7)).hasMessageContaining("does not hold its median");
    }
}
