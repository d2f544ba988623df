package dev.kmapstress.report;

import static dev.kmapstress.report.BenchmarkNames.BARE_LOCK;
import static dev.kmapstress.report.BenchmarkNames.HIT;
import static dev.kmapstress.report.BenchmarkNames.HIT_PATH_LOCKS;
import static dev.kmapstress.report.BenchmarkNames.LOCAL;
import static dev.kmapstress.report.BenchmarkNames.RAW_LOCK;
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
    void theHitPathIsJudgedOnTheLockWhoseRoundTripCostsMostOverItsOwnLocks() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20);
        hit(j, "mcs", 1, true, 10);
        hit(j, "tas", 1, true, 30);
        j.add(HIT_PATH_LOCKS, 1, 30, 0.3, "lock", "ticket");
        j.add(HIT_PATH_LOCKS, 1, 11, 0.11, "lock", "mcs");
        j.add(HIT_PATH_LOCKS, 1, 99, 1, "lock", "clh");

        Target t = Targets.hitVersusItsLocks(j.run(dir, "r.json"));

        assertThat(t.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(t.measured()).startsWith("1.5 ± ").endsWith(" ×");
        assertThat(t.note()).startsWith("missed by 1.2× (1.5 against 1.25); ")
                .contains("worst lock ticket").endsWith("median over 2 locks 1.3×");
    }

    @Test
    void theHitPathPassesWithinOneAndAQuarterOfItsLocks() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20);
        hit(j, "mcs", 1, false, 5);
        j.add(HIT_PATH_LOCKS, 1, 24, 0.24, "lock", "ticket");
        j.add(HIT_PATH_LOCKS, 1, 24, 0.24, "lock", "mcs");

        Target t = Targets.hitVersusItsLocks(j.run(dir, "r.json"));

        assertThat(t.verdict()).as("statistics off does not count").isEqualTo(Verdict.PASS);
        assertThat(t.note()).contains("over 1 locks");
    }

    @Test
    void theWrapperCostIsTheMedianLocksBareOverRaw() throws IOException {
        JmhJson j = new JmhJson();
        String[] locks = {"tas", "ticket", "mcs", "clh"};
        double[] bare = {100, 50, 40, 10};
        double[] raw = {110, 60, 60, 30};
        for (int i = 0; i < locks.length; i++) {
            j.add(BARE_LOCK, 1, bare[i], bare[i] / 100, "lock", locks[i]);
            j.add(RAW_LOCK, 1, raw[i], raw[i] / 100, "lock", locks[i]);
        }
        j.add(RAW_LOCK, 2, 1, 0.01, "lock", "tas");

        Target t = Targets.wrapperCost(j.run(dir, "r.json"));

        assertThat(t.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(t.measured()).startsWith("1.5 ± ");
        assertThat(t.note()).contains("median lock mcs", "over 4 locks", "worst clh 3×");
    }

    @Test
    void resultsWithoutALockParameterAreJudgedNotACrash() throws IOException {
        JmhJson j = new JmhJson();
        j.add(HIT, 1, 20, 0.2, "profile", "x86-pae", "statistics", "true");
        j.add(HIT_PATH_LOCKS, 1, 40, 0.4);

        assertThat(Targets.evaluate(j.run(dir, "r.json"))).hasSize(7);
        Target t = Targets.hitVersusItsLocks(j.run(dir, "r.json"));
        assertThat(t.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(t.measured()).startsWith("2 ± ");
    }

    @Test
    void aTargetWithoutItsFiguresIsNotMeasuredAndSaysWhich() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20);
        j.add(HIT_PATH_LOCKS, 1, 80, 0.8, "lock", "mcs");

        Target t = Targets.hitVersusItsLocks(j.run(dir, "r.json"));

        assertThat(t.verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(t.note()).isEqualTo("not in this run: KmapHigh.hitRoundTrip and Baselines.hitPathLocks"
                + " of one lock at 1 thread");
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
    void localVersusHighReadsKmapLocalWithItsStatisticsOn() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20);
        j.add(LOCAL, 1, 90, 0.9, "profile", "x86-pae", "statistics", "true");
        j.add(LOCAL, 1, 150, 1.5, "profile", "x86-pae", "statistics", "false");
        JmhRun run = j.run(dir, "r.json");

        Target one = Targets.localVersusHigh(run, 1, 5);

        assertThat(one.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(one.measured()).startsWith("4.5 ± ");
    }

    @Test
    void allocationIsJudgedOnEveryPathAtOneAndTwoThreads() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20).alloc(0.001);
        hit(j, "ticket", 2, true, 5).alloc(0.01);
        j.add(LOCAL, 1, 90, 0.9, "profile", "x86-pae").alloc(0.0001);
        j.add(RAW_LOCK, 2, 30, 0.3, "lock", "mcs").alloc(24);
        j.add(RAW_LOCK, 4, 30, 0.3, "lock", "mcs").alloc(99);
        JmhRun run = j.run(dir, "r.json");

        Target t = Targets.allocationFree(run);

        assertThat(t.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(t.measured()).isEqualTo("24 ± 0 B/op");
        assertThat(t.note()).isEqualTo("missed: allocates about 24 B per operation; worst of 4 configurations:"
                + " Baselines.rawLockUnlock threads=2 lock=mcs");
    }

    @Test
    void aPathWithoutALockParameterAtTwoThreadsIsJudged() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20).alloc(0.001);
        j.add(LOCAL, 2, 90, 0.9, "profile", "x86-pae").alloc(0.002);

        Target t = Targets.allocationFree(j.run(dir, "r.json"));

        assertThat(t.verdict()).isEqualTo(Verdict.PASS);
        assertThat(t.note()).contains("worst of 2 configurations");
    }

    @Test
    void aJvmLockQueueingAtTwoThreadsIsNamedButNotJudged() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "reentrant", 1, true, 20).alloc(0.4);
        hit(j, "reentrant", 2, true, 4).alloc(11.2);
        hit(j, "ticket", 2, true, 4).alloc(0.2);

        Target t = Targets.allocationFree(j.run(dir, "r.json"));

        assertThat(t.verdict()).isEqualTo(Verdict.PASS);
        assertThat(t.note()).endsWith("; not judged: JVM locks queueing in java.util.concurrent at 2 threads,"
                + " worst 11.2 B/op (KmapHigh.hitRoundTrip lock=reentrant profile=x86-pae statistics=true)");
    }

    @Test
    void allocationWithoutATwoThreadFigureIsNotMeasured() throws IOException {
        JmhJson j = new JmhJson();
        hit(j, "ticket", 1, true, 20).alloc(0.4);
        assertThat(Targets.allocationFree(j.run(dir, "r.json")).note())
                .isEqualTo("not in this run: the paths at 1 and 2 threads with -prof gc");
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
