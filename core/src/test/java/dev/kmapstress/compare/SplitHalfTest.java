package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split-half check: odd rounds' ranking against even rounds', with the advice below 0.8. */
class SplitHalfTest {

    /** Configurations whose odd rounds are {@code odd[c]} and even rounds {@code even[c]}, four rounds each. */
    private static List<double[]> rounds(double[] odd, double[] even) {
        List<double[]> l = new ArrayList<>();
        for (int c = 0; c < odd.length; c++) {
            l.add(new double[] {odd[c], even[c], odd[c], even[c]});
        }
        return l;
    }

    @Test
    void theSameOrderInBothHalvesIsStable() {
        SplitHalf s = SplitHalf.of(rounds(new double[] {1, 2, 3, 4, 5, 6}, new double[] {10, 20, 30, 40, 50, 60}));
        assertThat(s.spearman()).isCloseTo(1.0, within(1e-12));
        assertThat(s.stable()).isTrue();
        assertThat(s.longerFactor()).isZero();
        assertThat(s.line(8)).contains("1.00", "stable").doesNotContain("WARNING", "cannot judge");
    }

    @Test
    void twoNeighbourSwapsOfSixAreStable() {
        // ranks 1 2 3 4 5 6 against 2 1 4 3 5 6: sum d^2 = 4, rho = 1 - 6*4/(6*35) = 0.886
        SplitHalf s = SplitHalf.of(rounds(new double[] {1, 2, 3, 4, 5, 6}, new double[] {2, 1, 4, 3, 5, 6}));
        assertThat(s.spearman()).isCloseTo(1 - 24.0 / 210, within(1e-12));
        assertThat(s.stable()).isTrue();
        assertThat(s.line(9)).endsWith(": stable");
    }

    /**
     * The exact permutation distribution of Spearman's rho without ties: of the n! orders of the
     * even rounds' ranking against the odd rounds', those within sum d^2 <= n(n^2-1)/30 reach 0.8.
     * n = 4: the identity and 3 neighbour swaps; n = 5: the identity, 4 swaps, 3 pairs of disjoint
     * swaps; n = 6: 1 + 5 swaps + 6 pairs + 1 triple + 8 rotations of three neighbours.
     */
    @Test
    void noiseReachesTheThresholdByChanceTooOftenBelowSixConfigurations() {
        assertThat(SplitHalf.chance(3)).isCloseTo(1.0 / 6, within(1e-12));
        assertThat(SplitHalf.chance(4)).isCloseTo(4.0 / 24, within(1e-12));
        assertThat(SplitHalf.chance(5)).isCloseTo(8.0 / 120, within(1e-12));
        assertThat(SplitHalf.chance(6)).isCloseTo(21.0 / 720, within(1e-12));
        assertThat(SplitHalf.MIN_CONFIGURATIONS).isEqualTo(6);
    }

    @Test
    void fiveConfigurationsAtTheThresholdCannotBeCalledStable() {
        // ranks 1 2 3 4 5 against 2 1 4 3 5: sum d^2 = 4, rho = 1 - 6*4/(5*24) = 0.8, reached by chance 8/120
        SplitHalf s = SplitHalf.of(rounds(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}));
        assertThat(s.spearman()).isCloseTo(0.8, within(1e-12));
        assertThat(s.stable()).isFalse();
        assertThat(s.longerFactor()).isZero();
        assertThat(s.line(9)).contains("0.80", "cannot judge stability with 5 configurations", "6.7 %", "6 or more")
                .doesNotContain(": stable", "WARNING");
    }

    @Test
    void fourIdenticalOrdersCannotBeCalledStableEither() {
        SplitHalf s = SplitHalf.of(rounds(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4}));
        assertThat(s.spearman()).isCloseTo(1.0, within(1e-12));
        assertThat(s.stable()).isFalse();
        assertThat(s.line(9)).contains("cannot judge stability with 4 configurations", "16.7 %");
    }

    @Test
    void halfTheOrderAdvisesFourTimesLonger() {
        // ranks 1 2 3 4 5 against 3 2 1 5 4: sum d^2 = 10, rho = 0.5; Spearman-Brown: 0.8*0.5/(0.5*0.2) = 4
        SplitHalf s = SplitHalf.of(rounds(new double[] {1, 2, 3, 4, 5}, new double[] {3, 2, 1, 5, 4}));
        assertThat(s.spearman()).isCloseTo(0.5, within(1e-12));
        assertThat(s.stable()).isFalse();
        assertThat(s.longerFactor()).isEqualTo(4);
        assertThat(s.line(9)).contains("WARNING", "0.50", "not stable", "4x longer", "--rounds 36");
    }

    @Test
    void anOppositeOrderPredictsNothing() {
        SplitHalf s = SplitHalf.of(rounds(new double[] {1, 2, 3}, new double[] {3, 2, 1}));
        assertThat(s.spearman()).isCloseTo(-1.0, within(1e-12));
        assertThat(s.longerFactor()).isZero();
        assertThat(s.line(5)).contains("WARNING", "indistinguishable");
    }

    @Test
    void theHalvesAreTheOddAndEvenRoundsInRunOrder() {
        // Odd rounds (1st, 3rd, 5th) rank a < b < c; even rounds rank them the other way.
        List<double[]> l = List.of(new double[] {1, 30, 1, 30, 1}, new double[] {2, 20, 2, 20, 2},
                new double[] {3, 10, 3, 10, 3});
        assertThat(SplitHalf.of(l).spearman()).isCloseTo(-1.0, within(1e-12));
    }

    @Test
    void fewerThanThreeConfigurationsOrOneRoundCannotBeChecked() {
        assertThat(SplitHalf.of(List.of(new double[] {1, 2}, new double[] {3, 4})).spearman()).isNaN();
        assertThat(SplitHalf.of(List.of(new double[] {1}, new double[] {2}, new double[] {3})).spearman()).isNaN();
        SplitHalf s = SplitHalf.of(List.of(new double[] {1, 2}, new double[] {3, 4}));
        assertThat(s.stable()).isFalse();
        assertThat(s.line(2)).isEqualTo("split-half check: not possible with 2 ranked configuration(s) (needs 3)");
    }
}
