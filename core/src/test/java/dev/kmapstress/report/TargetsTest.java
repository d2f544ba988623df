package dev.kmapstress.report;

import static dev.kmapstress.report.BenchmarkNames.BARE_LOCK;
import static dev.kmapstress.report.BenchmarkNames.HIT;
import static dev.kmapstress.report.BenchmarkNames.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.report.Targets.Target;
import dev.kmapstress.report.Targets.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {

    @TempDir
    Path dir;

    /** A hit round trip on x86-pae. */
    private static JmhJson hit(JmhJson j, String lock, int threads, boolean statistics, double score) {
        return j.add(HIT, threads, score, score / 100, "lock", lock, "profile", "x86-pae",
                "statistics", Boolean.toString(statistics));
    }

    @Test
    void hitVersusBareLockUsesTheFastestHitLockAndItsOwnBarePair() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20);
        hit(j, "mcs", 1, true, 10);
        j.add(BARE_LOCK, 1, 80, 0.8, "lock", "ticket");
        j.add(BARE_LOCK, 1, 200, 2, "lock", "mcs");

        Target t = Targets.hitVersusBareLock(j.run(dir, "r.json"));

        assertThat(t.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(t.measured()).startsWith("4 ± ").endsWith(" ×");
        assertThat(t.note()).startsWith("missed by 2.67× (4 against 1.5); ").contains("lock ticket");
    }

    @Test
    void hitVersusBareLockPassesAtOrBelowOneAndAHalf() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 60);
        j.add(BARE_LOCK, 1, 90, 0.9, "lock", "ticket");

        assertThat(Targets.hitVersusBareLock(j.run(dir, "r.json")).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void resultsWithoutALockParameterAreJudgedNotACrash() throws IOException {
        JmhJson j = new JmhJson();
        j.add(HIT, 1, 20, 0.2, "profile", "x86-pae", "statistics", "true");
        j.add(BARE_LOCK, 1, 40, 0.4);

        assertThat(Targets.evaluate(j.run(dir, "r.json"))).hasSize(7);
        Target t = Targets.hitVersusBareLock(j.run(dir, "r.json"));
        assertThat(t.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(t.measured()).startsWith("2 ± ");
    }

    @Test
    void aTargetWithoutItsFiguresIsNotMeasuredAndSaysWhich() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20);
        j.add(BARE_LOCK, 1, 80, 0.8, "lock", "mcs");

        Target t = Targets.hitVersusBareLock(j.run(dir, "r.json"));

        assertThat(t.verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(t.note()).isEqualTo("not in this run: Baselines.bareLockUnlock of lock ticket at 1 thread");
    }

    @Test
    void otherProfilesAndStatisticsOffDoNotCountAsTheHitPath() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20);
        hit(j, "mcs", 1, false, 50);
        j.add(HIT, 1, 90, 1, "lock", "tas", "profile", "arm-like", "statistics", "true");
        j.add(BARE_LOCK, 1, 25, 0.25, "lock", "ticket");

        Target t = Targets.hitVersusBareLock(j.run(dir, "r.json"));

        assertThat(t.note()).contains("lock ticket");
        assertThat(t.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void localVersusHighComparesAtTheSameThreadCount() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20);
        hit(j, "ticket", 2, true, 4);
        j.add(LOCAL, 1, 90, 0.9, "profile", "x86-pae");
        j.add(LOCAL, 2, 180, 1.8, "profile", "x86-pae");
        JmhRun run = j.run(dir, "r.json");

        Target one = Targets.localVersusHigh(run, 1, 5);
        Target two = Targets.localVersusHigh(run, 2, 10);

        assertThat(one.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(one.measured()).startsWith("4.5 ± ");
        assertThat(one.note()).startsWith("missed by 1.11× (4.5 against 5); ");
        assertThat(two.verdict()).isEqualTo(Verdict.PASS);
        assertThat(two.measured()).startsWith("45 ± ");
    }

    @Test
    void allocationIsJudgedAtOneThreadAndFailsFromOneBytePerOperation() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20).alloc(0.001);
        hit(j, "mcs", 1, true, 20).alloc(24);
        hit(j, "tas", 1, true, 20);
        JmhRun run = j.run(dir, "r.json");

        Target t = Targets.allocationFree(run, HIT, "claim");

        assertThat(t.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(t.measured()).isEqualTo("24 ± 0 B/op");
        assertThat(t.note()).isEqualTo("missed: allocates about 24 B per operation; worst of the 1-thread"
                + " configurations: lock=mcs profile=x86-pae statistics=true");
        assertThat(Targets.allocationFree(run, LOCAL, "claim").verdict()).isEqualTo(Verdict.NOT_MEASURED);
    }

    @Test
    void aCollapsedContendedConfigurationIsReportedButDoesNotDecide() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20).alloc(0.4);
        hit(j, "ticket", 2, true, 0.004).alloc(41.8);

        Target t = Targets.allocationFree(j.run(dir, "r.json"), HIT, "claim");

        assertThat(t.verdict()).isEqualTo(Verdict.PASS);
        assertThat(t.note()).endsWith("; with more threads the worst is 41.8 B/op (threads=2 lock=ticket"
                + " profile=x86-pae statistics=true, 0.004 ± 0.00004 ops/µs)");
    }

    @Test
    void allocationWithoutAOneThreadFigureIsNotMeasured() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 2, true, 20).alloc(0.4);
        assertThat(Targets.allocationFree(j.run(dir, "r.json"), HIT, "claim").note())
                .isEqualTo("not in this run: KmapHigh.hitRoundTrip at 1 thread with -prof gc");
    }

    @Test
    void theSpinlockTargetIgnoresJvmLocks() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "synchronized", 2, true, 10);
        hit(j, "reentrant", 2, true, 30);
        hit(j, "ticket", 2, true, 12);
        hit(j, "mcs", 1, true, 99);

        Target t = Targets.spinlockVersusSynchronized(j.run(dir, "r.json"));

        assertThat(t.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(t.measured()).startsWith("1.2 ± ");
        assertThat(t.note()).contains("spinlock ticket");
    }

    @Test
    void statisticsCostIsTheSlowdownOfOnAgainstOffForTheSameLock() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20);
        hit(j, "ticket", 1, false, 22);
        hit(j, "mcs", 1, false, 100);

        Target t = Targets.statisticsCost(j.run(dir, "r.json"));

        assertThat(t.measured()).startsWith("+10 % ± ");
        assertThat(t.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(t.note()).startsWith("missed by 1.05× (1.1 against 1.05); ");
    }

    @Test
    void aVerdictInsideTheErrorIsFlagged() throws IOException {
        JmhJson j = new JmhJson();
        j.add(HIT, 1, 20, 4, "lock", "ticket", "profile", "x86-pae", "statistics", "true");
        j.add(HIT, 1, 20.5, 4, "lock", "ticket", "profile", "x86-pae", "statistics", "false");

        Target t = Targets.statisticsCost(j.run(dir, "r.json"));

        assertThat(t.verdict()).isEqualTo(Verdict.PASS);
        assertThat(t.note()).startsWith("the threshold lies within the error");
    }

    @Test
    void everyTargetIsEvaluatedOnAnEmptyRun() throws IOException {
        JmhRun run = new JmhJson().add("Baselines.payloadRead", 1, 300, 3).run(dir, "r.json");
        assertThat(Targets.evaluate(run)).hasSize(7).extracting(Target::verdict).containsOnly(Verdict.NOT_MEASURED);
    }
}
