package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rounds relative to their block: known inputs, incomplete blocks left out. */
class BlockRelativeTest {

    private static Round round(int block, double maps) {
        return new Round(0, block, 1, maps, 0, 0, 0, 1, 0, "SUCCESS", "", "", false);
    }

    @Test
    void eachRoundIsDividedByItsBlocksGeometricMean() {
        List<double[]> r = BlockRelative.of(List.of(List.of(round(1, 4), round(2, 40)), List.of(round(1, 1),
                round(2, 10))));
        // Block 1: geometric mean of 4 and 1 is 2; block 2: of 40 and 10, 20.
        assertThat(r.get(0)).containsExactly(new double[] {2, 2}, within(1e-12));
        assertThat(r.get(1)).containsExactly(new double[] {0.5, 0.5}, within(1e-12));
    }

    @Test
    void aBlockWithoutEveryConfigurationsRoundIsLeftOut() {
        // The second configuration was cut short after its first round; its second failed (0).
        List<double[]> r = BlockRelative.of(List.of(List.of(round(1, 9), round(2, 9), round(3, 9)),
                List.of(round(1, 1), round(2, 0))));
        assertThat(r.get(0)).containsExactly(new double[] {3}, within(1e-12));
        assertThat(r.get(1)).containsExactly(new double[] {1.0 / 3}, within(1e-12));
    }

    @Test
    void oneConfigurationHasNothingToBeRelativeTo() {
        assertThat(BlockRelative.of(List.of(List.of(round(1, 5), round(2, 6)))).get(0)).isEmpty();
    }
}
