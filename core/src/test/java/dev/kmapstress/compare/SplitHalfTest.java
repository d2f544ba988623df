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
        SplitHalf s = SplitHalf.of(rounds(new double[] {1, 2, 3, 4, 5}, new double[] {10, 20, 30, 40, 50}));
        assertThat(s.spearman()).isCloseTo(1.0, within(1e-12));
        assertThat(s.stable()).isTrue();
        assertThat(s.longerFactor()).isZero();
        assertThat(s.line(8)).contains("1.00", "stable").doesNotContain("WARNING");
    }

    @Test
    void twoNeighbourSwapsOfFiveGiveExactlyTheThreshold() {
        // ranks 1 2 3 4 5 against 2 1 4 3 5: sum d^2 = 4, rho = 1 - 6*4/(5*24) = 0.8
        SplitHalf s = SplitHalf.of(rounds(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}));
        assertThat(s.spearman()).isCloseTo(0.8, within(1e-12));
        assertThat(s.stable()).isTrue();
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
        assertThat(s.line(2)).contains("not possible", "needs 3 configurations");
    }
}
