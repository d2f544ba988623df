package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The interleaved schedule: warm-ups first, then blocks holding one round of every configuration. */
class RoundScheduleTest {

    @Test
    void warmupsComeFirstOncePerConfiguration() {
        List<RoundSchedule.Slot> s = RoundSchedule.of(4, 5, 1).slots();
        assertThat(s).hasSize(4 * 6);
        assertThat(s.subList(0, 4)).allMatch(RoundSchedule.Slot::warmup)
                .extracting(RoundSchedule.Slot::configuration).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(s.subList(4, s.size())).noneMatch(RoundSchedule.Slot::warmup);
        assertThat(RoundSchedule.of(4, 5, 1).recorded()).isEqualTo(20);
    }

    @Test
    void everyBlockHoldsRoundKOfEveryConfiguration() {
        int configs = 7;
        int rounds = 9;
        List<RoundSchedule.Slot> s = RoundSchedule.of(configs, rounds, 42).slots();
        for (int block = 0; block <= rounds; block++) {
            List<RoundSchedule.Slot> b = s.subList(block * configs, (block + 1) * configs);
            int round = block;
            assertThat(b).allMatch(slot -> slot.round() == round);
            assertThat(b).extracting(RoundSchedule.Slot::configuration)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, configs).boxed().toList());
        }
    }

    @Test
    void theSeedAloneFixesTheOrderAndTheBlocksAreShuffled() {
        assertThat(RoundSchedule.of(6, 8, 7).slots()).isEqualTo(RoundSchedule.of(6, 8, 7).slots());
        assertThat(RoundSchedule.of(6, 8, 7).slots()).isNotEqualTo(RoundSchedule.of(6, 8, 8).slots());
        List<RoundSchedule.Slot> s = RoundSchedule.of(6, 8, 7).slots();
        long distinctOrders = IntStream.rangeClosed(0, 8)
                .mapToObj(b -> s.subList(b * 6, b * 6 + 6).stream().map(RoundSchedule.Slot::configuration).toList())
                .distinct().count();
        assertThat(distinctOrders).as("blocks in shuffled orders").isGreaterThan(1);
    }

    @Test
    void refusesAnEmptySchedule() {
        assertThatThrownBy(() -> RoundSchedule.of(0, 5, 1)).hasMessageContaining("at least one configuration");
        assertThatThrownBy(() -> RoundSchedule.of(3, 0, 1)).hasMessageContaining("one round");
    }
}
