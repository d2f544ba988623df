package dev.kmapstress.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void aKindNameIsAWorkloadOfThatKind() {
        Workload w = Workload.parse("persistent");
        assertThat(w.activities()).containsExactly(Activities.PERSISTENT);
        assertThat(w).hasToString("persistent");
    }

    @Test
    void mixedHasEveryKindOfThisBuild() {
        assertThat(Workload.parse("mixed").activities()).containsExactlyElementsOf(Activities.all());
    }

    @Test
    void sharesDecideHowOftenAKindIsPicked() {
        StringBuilder spec = new StringBuilder("mixed:");
        int total = 0;
        for (int i = 0; i < Activities.all().size(); i++) {
            spec.append(i == 0 ? "" : ",").append(Activities.all().get(i).name()).append('=').append(i + 1);
            total += i + 1;
        }
        Workload w = Workload.parse(spec.toString());
        Map<Activity, Integer> seen = new HashMap<>();
        SplittableRandom r = new SplittableRandom(1);
        int picks = 20_000;
        for (int i = 0; i < picks; i++) {
            seen.merge(w.pick(r), 1, Integer::sum);
        }
        for (int i = 0; i < Activities.all().size(); i++) {
            assertThat(seen.get(Activities.all().get(i)) / (double) picks)
                    .isCloseTo((i + 1) / (double) total, org.assertj.core.data.Offset.offset(0.02));
        }
    }

    @Test
    void refusesUnknownKindsBadWeightsAndDuplicates() {
        assertThatThrownBy(() -> Workload.parse("sideways"))
                .hasMessage("unknown workload 'sideways'; allowed: " + Workload.allowed());
        assertThatThrownBy(() -> Workload.parse("mixed:persistent=x"))
                .hasMessageContaining("weight 'x' is not a whole number >= 0");
        assertThatThrownBy(() -> Workload.parse("mixed:persistent=0"))
                .hasMessageContaining("the shares add up to 0");
        assertThatThrownBy(() -> Workload.parse("mixed:persistent,persistent"))
                .hasMessageContaining("persistent is given twice");
    }

    @Test
    void stutterSpellings() {
        assertThat(StutterSpec.parse("off").on()).isFalse();
        assertThat(StutterSpec.parse("50ms/1ms")).hasToString("50ms/1ms");
        assertThat(StutterSpec.parse("2ms/0").pause()).isZero();
        assertThat(StutterSpec.parse("1s").pause()).isEqualTo(StutterSpec.parse("1s").run());
        assertThatThrownBy(() -> StutterSpec.parse("0s/1ms")).hasMessageStartingWith("run 0s: must be a duration greater than 0");
        assertThatThrownBy(() -> TortureConfig.STUTTER.parse("0s/1ms")).hasMessageStartingWith("stutter=0s/1ms: run 0s:");
    }
}
