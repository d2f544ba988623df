package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rank groups: a single place only where the intervals separate a configuration from all others. */
class RankGroupsTest {

    private static MedianInterval iv(double low, double high) {
        return new MedianInterval((low + high) / 2, low, high);
    }

    @Test
    void separatedIntervalsRankOneTwoThree() {
        assertThat(RankGroups.of(List.of(iv(1, 2), iv(5, 6), iv(3, 4)))).containsExactly("3", "1", "2");
    }

    @Test
    void overlappingIntervalsShareAGroup() {
        assertThat(RankGroups.of(List.of(iv(10, 12), iv(11, 13), iv(5, 6)))).containsExactly("1-2", "1-2", "3");
    }

    @Test
    void groupsChainWhereOverlapIsNotTransitive() {
        // A clear of C, both overlapping B.
        assertThat(RankGroups.of(List.of(iv(4, 6), iv(2, 5), iv(1, 3)))).containsExactly("1-2", "1-3", "2-3");
    }

    @Test
    void allOverlappingAreAllIndistinguishable() {
        assertThat(RankGroups.of(List.of(iv(1, 10), iv(2, 9), iv(3, 8), iv(4, 7))))
                .containsExactly("1-4", "1-4", "1-4", "1-4");
    }

    @Test
    void touchingEndsOverlap() {
        assertThat(RankGroups.of(List.of(iv(3, 4), iv(1, 3)))).containsExactly("1-2", "1-2");
    }

    @Test
    void bestPlaceAndSharing() {
        assertThat(RankGroups.best("2-4")).isEqualTo(2);
        assertThat(RankGroups.best("3")).isEqualTo(3);
        assertThat(RankGroups.shared("2-4")).isTrue();
        assertThat(RankGroups.shared("3")).isFalse();
    }
}
