package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.torture.TortureConfig;
import dev.kmapstress.torture.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rounds run in forks of their own: interleaved, each configuration's JVM gone at the end. */
@Timeout(180)
class RoundRunnerTest {

    static TortureConfig config(String lock) {
        return TortureConfig.builder(Profile.X86_PAE).cpus(2).workload(Workload.parse("persistent")).tasksPerCpu(1)
                .lock(lock).seed(1).build();
    }

    /** The fork command the CLI gives: this classpath's main, the configuration's torture options. */
    static List<String> fork(TortureConfig c) {
        List<String> cmd = new ArrayList<>(Fork.java("dev.kmapstress.cli.Main"));
        List<String> replay = c.replayCommand();
        cmd.addAll(replay.subList(1, replay.size()));
        cmd.add("--serve-rounds");
        return cmd;
    }

    static RoundRunner.Outcome run(RoundRunner.Plan plan) {
        return new RoundRunner(plan, RoundRunnerTest::fork, line -> { }).run();
    }

    @Test
    void everyConfigurationRunsItsRoundsInterleavedInItsOwnJvm() {
        RoundRunner.Outcome o = run(new RoundRunner.Plan(List.of(List.of(config("ticket"), config("tas"),
                config("mcs"))), 3, null, Duration.ofMillis(150), Duration.ofMillis(100), 7));
        assertThat(o.interrupted()).isFalse();
        assertThat(o.measured()).hasSize(3).allSatisfy(m -> {
            assertThat(m.failed()).as(m.failure()).isFalse();
            assertThat(m.rounds()).extracting(Round::round).containsExactly(1, 2, 3);
            assertThat(m.rounds()).allMatch(r -> r.success() && r.mapsPerSecond() > 0 && r.p99() > 0);
        });
        assertThat(o.measured().stream().flatMap(m -> m.rounds().stream()).map(Round::order))
                .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9);
        // The schedule's blocks: orders 1-3 are every configuration's first round.
        assertThat(o.measured()).allMatch(m -> m.rounds().get(0).order() <= 3);
        assertThat(ProcessHandle.current().children().count()).as("forks left running").isZero();
    }

    @Test
    void aDeadlockedConfigurationFailsRunsNoMoreRoundsAndItsJvmIsGone() {
        // The IPI/spinlock deadlock: CPUs spinning with IRQs off, forever.
        TortureConfig deadlock = config("ticket").toBuilder().fault(Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH).hold(0)
                .watchdog(Duration.ofMillis(700)).build();
        RoundRunner.Outcome o = run(new RoundRunner.Plan(List.of(List.of(deadlock, config("ticket"))), 2,
                null, Duration.ofSeconds(2), Duration.ofSeconds(2), 3));
        Measured broken = o.measured().get(0);
        Measured ticket = o.measured().get(1);
        assertThat(broken.failed()).isTrue();
        assertThat(broken.failure()).startsWith("warm-up: ");
        assertThat(broken.rounds()).isEmpty();
        assertThat(broken.failure()).contains("LOCKUP");
        assertThat(broken.replay()).contains("--fault IRQ_OFF_SPIN_WITH_IPI_FLUSH", "--seed");
        assertThat(ticket.failed()).as(ticket.failure()).isFalse();
        assertThat(ticket.rounds()).hasSize(2);
        assertThat(ProcessHandle.current().children().count()).as("forks left running").isZero();
    }
}
