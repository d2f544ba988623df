package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.torture.TortureConfig;
import dev.kmapstress.torture.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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

    /**
     * Runs cannot affect each other: the busted lock's JVM, whose CPUs may spin for ever, is gone
     * before the next configuration's JVM starts, so while ticket runs again no other fork is
     * alive, and ticket then runs all its rounds. Checked on the processes, not on throughput:
     * an earlier form asserted ticket's median within its solo interval, which a loaded host
     * broke (a unit test must not time; compare runs measure throughput).
     */
    @Test
    void aBustedRunIsGoneBeforeTicketRunsAgain() {
        TortureConfig ticket = config("ticket");
        TortureConfig busted = config("busted").toBuilder().watchdog(Duration.ofSeconds(1)).build();
        java.util.concurrent.atomic.AtomicLong mostForksAlive = new java.util.concurrent.atomic.AtomicLong();
        // Groups run one after the other: ticket alone, busted, ticket again; one fork per group.
        RoundRunner.Plan plan = new RoundRunner.Plan(List.of(List.of(ticket), List.of(busted), List.of(ticket)), 5,
                null, Duration.ofMillis(300), Duration.ofMillis(300), 5);
        RoundRunner.Outcome o = new RoundRunner(plan, RoundRunnerTest::fork,
                line -> mostForksAlive.accumulateAndGet(ProcessHandle.current().children().count(), Math::max)).run();
        assertThat(mostForksAlive.get()).as("forks alive at once while rounds ran").isEqualTo(1);
        Measured after = o.measured().get(2);
        assertThat(after.failed()).as(after.failure()).isFalse();
        assertThat(after.rounds()).hasSize(5);
        assertThat(ProcessHandle.current().children().count()).as("forks left running").isZero();
    }

    @Test
    void anInterruptEndsTheRunWithTheRoundsSoFarAndMarksTheCutConfiguration() throws InterruptedException {
        RoundRunner.Plan plan = new RoundRunner.Plan(List.of(List.of(config("ticket"), config("mcs"))), 50, null,
                Duration.ofMillis(200), Duration.ofMillis(100), 9);
        java.util.concurrent.atomic.AtomicReference<RoundRunner.Outcome> out = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch rounds = new java.util.concurrent.CountDownLatch(4);
        Thread t = new Thread(() -> out.set(new RoundRunner(plan, RoundRunnerTest::fork, line -> rounds.countDown()).run()));
        t.start();
        rounds.await();
        t.interrupt();
        t.join();
        RoundRunner.Outcome o = out.get();
        assertThat(o.interrupted()).isTrue();
        assertThat(o.measured()).hasSize(2).allMatch(m -> !m.failed() && !m.rounds().isEmpty() && m.rounds().size() < 50);
        assertThat(o.measured()).filteredOn(Measured::cut).hasSize(1);
        assertThat(ProcessHandle.current().children().count()).as("forks left running").isZero();
    }

    /**
     * 45 configurations x 9 rounds in 8 s: each needs at least 6 rounds and a warm-up of 2 rounds'
     * time, every run measuring 100 ms of its share's 85 %, so 45 x 8 x 100 / 0.85 = 42 353 ms, 43 s
     * in whole seconds. Less is refused before anything runs (it used to run, skip 439 runs and rank
     * single rounds).
     */
    @Test
    void aTotalTooShortForEveryConfigurationsRankedRoundsIsRefused() {
        List<List<TortureConfig>> groups = List.of(Collections.nCopies(45, config("ticket")));
        assertThatThrownBy(() -> new RoundRunner.Plan(groups, 9, Duration.ofSeconds(8), null, null, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--total leaves 8s for the runs, and"
                        + " 45 configurations x (6 rounds + a warm-up of 2 rounds' time) need at least 43s");
        assertThatThrownBy(() -> new RoundRunner.Plan(groups, 9, Duration.ofMillis(42_999), null, null, 1))
                .hasMessageContaining("need at least 43s");
        assertThat(new RoundRunner.Plan(groups, 9, Duration.ofSeconds(43), null, null, 1).total())
                .isEqualTo(Duration.ofSeconds(43));
        // Fewer rounds planned than ranking needs: all of them, 45 x 5 x 100 / 0.85 = 26 471 ms.
        assertThatThrownBy(() -> new RoundRunner.Plan(groups, 3, Duration.ofSeconds(26), null, null, 1))
                .hasMessageContaining("(3 rounds + a warm-up of 2 rounds' time) need at least 27s");
    }
}
