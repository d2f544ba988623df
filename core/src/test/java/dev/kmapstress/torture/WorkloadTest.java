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
    void theKernelUsersWorkloadsAreTheirMixesWithInterruptsWhereTheUserHasThem() {
        assertThat(Workload.parse("block-io").activities()).containsExactly(Activities.PERSISTENT);
        assertThat(Workload.parse("pagecache").activities()).containsExactly(Activities.LOCAL, Activities.COPY);
        assertThat(Workload.parse("migrate").activities()).containsExactly(Activities.COPY);
        Workload net = Workload.parse("net-softirq");
        assertThat(net.activities()).containsExactly(Activities.ATOMIC_MAP);
        assertThat(net.interrupts()).isTrue();
        assertThat(net).hasToString("net-softirq");
        assertThat(TortureConfig.builder(dev.kmapstress.machine.Profile.X86_PAE).workload(net).build().irq()).isTrue();
        assertThat(Workload.parse("pagecache").interrupts()).isFalse();
        assertThat(Workload.USERS).allMatch(u -> !u.rationale().isBlank());
    }

    @Test
    void theHitWorkloadOnlyEverHitsPagesTheRunKeepsMapped() {
        TortureResult r = TestRuns.run(TestRuns.quick(dev.kmapstress.machine.Profile.X86_PAE, 300)
                .workload(Workload.parse("hit")).tasksPerCpu(1).build()).result();
        assertThat(r.verdict()).as(String.join("\n", r.reasons())).isEqualTo(TortureResult.SUCCESS);
        Map<String, Long> model = r.summary().machine();
        // The only misses are the pins themselves: a quarter of the 16-slot window.
        assertThat(model.get("kmap_miss")).isEqualTo(4);
        assertThat(model.get("kmap_hit")).isPositive().isEqualTo(model.get("kmap") - 4);
        assertThat(model.get("sleep")).isZero();
        assertThat(model.get("kunmap")).isEqualTo(model.get("kmap"));
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
