package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ranking within workload x CPUs groups, failed rows last and unranked, from the rounds alone. */
class RankingTest {

    /** A row of a configuration whose rounds measured {@code maps} maps/s, in that order. */
    static RankedRow row(String lock, String workload, int cpus, boolean passed, double... maps) {
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < maps.length; i++) {
            rounds.add(new Round(i + 1, i + 1, 1, maps[i], 100, 1000 + i, 2000, 1.0, 0, "SUCCESS", "", "", false));
        }
        double[] p99 = rounds.stream().mapToDouble(Round::p99).toArray();
        return new RankedRow(lock, "kernel", workload, cpus, passed ? "SUCCESS" : "FAILURE",
                maps.length == 0 ? null : MedianInterval.of(maps), maps.length == 0 ? null : MedianInterval.of(p99),
                null, RankedRow.UNRANKED, rounds, "kmap", passed ? "" : "round 1: BUG", "", false);
    }

    @Test
    void separatedRowsRankAloneAndOverlappingOnesShareAGroup() {
        // Nine rounds: the intervals are the 2nd and 8th values sorted. ticket's rounds fall while
        // tas's rise, so relative to their blocks they cross: they share a group.
        List<Ranking.Group> g = Ranking.of(List.of(
                row("tas", "hit", 2, true, 10, 11, 12, 13, 14, 15, 16, 17, 18),
                row("mcs", "hit", 2, true, 30, 31, 32, 33, 34, 35, 36, 37, 38),
                row("ticket", "hit", 2, true, 23, 22, 21, 20, 19, 18, 17, 16, 15)));
        assertThat(g).hasSize(1);
        assertThat(g.get(0).rows()).extracting(RankedRow::lock).containsExactly("mcs", "ticket", "tas");
        assertThat(g.get(0).rows()).extracting(RankedRow::rank).containsExactly("1", "2-3", "2-3");
        assertThat(g.get(0).rows().get(0).mapsPerSecond()).isEqualTo(new MedianInterval(34, 31, 37));
        assertThat(g.get(0).best()).extracting(RankedRow::lock).containsExactly("mcs");
    }

    /**
     * The host halves every other block (a busy neighbour, a vCPU's sibling thread): the rounds'
     * own intervals then span both speeds and cannot separate three locks 10 % apart, while each
     * round relative to its block shows the same order in every block.
     */
    @Test
    void blocksTheHostSlowedAlikeDoNotHideADifference() {
        double[] host = {1, 0.5, 1, 0.5, 1, 0.5, 1, 0.5, 1};
        List<Ranking.Group> g = Ranking.of(List.of(row("ticket", "hit", 2, true, scaled(host, 110)),
                row("mcs", "hit", 2, true, scaled(host, 100)), row("tas", "hit", 2, true, scaled(host, 121))));
        List<RankedRow> rows = g.get(0).rows();
        assertThat(List.of(rows.get(0).mapsPerSecond(), rows.get(1).mapsPerSecond(), rows.get(2).mapsPerSecond()))
                .allMatch(i -> i.overlaps(rows.get(0).mapsPerSecond()));
        assertThat(rows).extracting(RankedRow::lock, RankedRow::rank).containsExactly(
                org.assertj.core.groups.Tuple.tuple("tas", "1"), org.assertj.core.groups.Tuple.tuple("ticket", "2"),
                org.assertj.core.groups.Tuple.tuple("mcs", "3"));
        assertThat(rows.get(1).relative().median()).isCloseTo(1.0, within(1e-9));
        assertThat(rows.get(0).relative().median()).isCloseTo(1.1, within(1e-9));
    }

    /** Without complete blocks (a single configuration) the rank stands on the rounds themselves. */
    @Test
    void aSingleConfigurationIsRankedOnItsOwnRounds() {
        RankedRow only = Ranking.of(List.of(row("tas", "hit", 2, true, 1, 2, 3, 4, 5, 6))).get(0).rows().get(0);
        assertThat(only.rank()).isEqualTo("1");
        assertThat(only.relative()).isNull();
    }

    private static double[] scaled(double[] host, double speed) {
        return Arrays.stream(host).map(h -> h * speed).toArray();
    }

    @Test
    void aFailedRowIsListedLastUnrankedAndNeverBestEvenIfFastest() {
        List<Ranking.Group> g = Ranking.of(List.of(row("busted", "hit", 2, false, 1000, 1000, 1000),
                row("ticket", "hit", 2, true, 5, 6, 7, 5, 6, 7), row("mcs", "hit", 2, true, 5, 6, 7, 5, 6, 7)));
        assertThat(g.get(0).rows()).extracting(RankedRow::lock).endsWith("busted");
        assertThat(g.get(0).rows()).extracting(RankedRow::rank).containsExactly("1-2", "1-2", "-");
        assertThat(g.get(0).best()).extracting(RankedRow::lock).containsExactlyInAnyOrder("ticket", "mcs");
        assertThat(Ranking.of(List.of(row("busted", "hit", 2, false))).get(0).rows().get(0).rank()).isEqualTo("-");
    }

    @Test
    void groupsAreWorkloadTimesCpusAndRankOnlyWithinThemselves() {
        List<Ranking.Group> g = Ranking.of(List.of(row("tas", "hit", 1, true, 50, 51, 52, 53, 54, 55),
                row("tas", "hit", 2, true, 10, 11, 12, 13, 14, 15), row("mcs", "hit", 2, true, 20, 21, 22, 23, 24, 25),
                row("mcs", "hit", 1, true, 40, 41, 42, 43, 44, 45), row("tas", "migrate", 2, true, 1, 2, 3, 4, 5, 6)));
        assertThat(g).extracting(Ranking.Group::workload, Ranking.Group::cpus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hit", 1), org.assertj.core.groups.Tuple.tuple("hit", 2),
                        org.assertj.core.groups.Tuple.tuple("migrate", 2));
        assertThat(g.get(0).rows()).extracting(RankedRow::lock, RankedRow::rank)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tas", "1"), org.assertj.core.groups.Tuple.tuple("mcs", "2"));
        assertThat(g.get(1).rows()).extracting(RankedRow::lock).containsExactly("mcs", "tas");
        assertThat(g.get(2).rows().get(0).rank()).isEqualTo("1");
        assertThat(Ranking.rows(g)).hasSize(5);
    }

    @Test
    void theSplitHalfIsPerGroupAndTheFileKeepsTheLowest() {
        // Group hit/2: odd rounds order a<b<c, even rounds c<b<a: -1. Group hit/1: the same order in both halves: 1.
        List<Ranking.Group> g = Ranking.of(List.of(row("a", "hit", 2, true, 1, 30, 1, 30, 1, 30),
                row("b", "hit", 2, true, 2, 20, 2, 20, 2, 20), row("c", "hit", 2, true, 3, 10, 3, 10, 3, 10),
                row("a", "hit", 1, true, 1, 1, 1, 1, 1, 1), row("b", "hit", 1, true, 2, 2, 2, 2, 2, 2),
                row("c", "hit", 1, true, 3, 3, 3, 3, 3, 3)));
        assertThat(g.get(0).splitHalfSpearman()).isCloseTo(-1.0, within(1e-12));
        assertThat(g.get(1).splitHalfSpearman()).isCloseTo(1.0, within(1e-12));
        assertThat(Ranking.splitHalf(g)).isCloseTo(-1.0, within(1e-12));
        List<RankedRow> one = List.of(row("a", "hit", 2, true, 1, 2, 3, 4, 5, 6));
        assertThat(Ranking.of(one).get(0).splitHalfSpearman()).isNull();
        assertThat(Ranking.splitHalf(Ranking.of(one))).isNull();
    }

    @Test
    void rankingTheRanksAgainChangesNothing() {
        List<RankedRow> once = Ranking.rows(Ranking.of(List.of(row("x", "hit", 2, true, 1, 2, 3, 1, 2, 3),
                row("w", "hit", 2, true, 90, 91), row("z", "hit", 2, false, 4), row("y", "hit", 2, true, 7, 8, 9, 7, 8, 9))));
        assertThat(Ranking.rows(Ranking.of(once))).isEqualTo(once);
        assertThat(once).extracting(RankedRow::lock, RankedRow::rank).containsExactly(
                org.assertj.core.groups.Tuple.tuple("y", "1"), org.assertj.core.groups.Tuple.tuple("x", "2"),
                org.assertj.core.groups.Tuple.tuple("w", "-"), org.assertj.core.groups.Tuple.tuple("z", "-"));
    }

    /**
     * A total spent too soon: one configuration got a single round, the fastest. Its interval is
     * a point, so it is listed unranked and never best, and the others, whose 9 rounds overlap,
     * still rank on 9 complete blocks (counted with it, only one block would be complete and
     * every interval a point, ranked apart).
     */
    @Test
    void aRowShortOfRoundsIsShownUnrankedNeverBestAndLeavesTheOthersTheirBlocks() {
        List<Ranking.Group> g = Ranking.of(List.of(row("short", "hit", 2, true, 500),
                row("tas", "hit", 2, true, 10, 14, 11, 13, 12, 15, 9, 12, 13),
                row("mcs", "hit", 2, true, 12, 10, 14, 11, 13, 9, 15, 12, 11),
                row("busted", "hit", 2, false, 900)));
        List<RankedRow> rows = g.get(0).rows();
        assertThat(rows).extracting(RankedRow::lock, RankedRow::rank).containsExactly(
                org.assertj.core.groups.Tuple.tuple("tas", "1-2"), org.assertj.core.groups.Tuple.tuple("mcs", "1-2"),
                org.assertj.core.groups.Tuple.tuple("short", "-"), org.assertj.core.groups.Tuple.tuple("busted", "-"));
        assertThat(rows.get(0).relative().low()).isLessThan(rows.get(0).relative().high());
        assertThat(rows.get(2).notRanked()).isEqualTo("not ranked: 1 round gives a 0.0 % interval, ranking needs 6"
                + " (95 %)");
        assertThat(rows.get(3).notRanked()).isEmpty();
        // The short row was compared with nothing and may be the fastest: no best lock.
        assertThat(g.get(0).unrankedPassed()).isEqualTo(1);
        assertThat(g.get(0).best()).isEmpty();
    }

    /** Five rounds each (--rounds 5): 93.8 % intervals, below 95 %: nothing is ranked, nothing is best. */
    @Test
    void rowsBelowSixRoundsAreNotRankedAtAll() {
        List<Ranking.Group> g = Ranking.of(List.of(row("tas", "hit", 2, true, 10, 11, 12, 13, 14),
                row("mcs", "hit", 2, true, 30, 31, 32, 33, 34), row("ticket", "hit", 2, true, 20, 21, 22, 23, 24)));
        assertThat(g.get(0).rows()).extracting(RankedRow::rank).containsOnly(RankedRow.UNRANKED);
        assertThat(g.get(0).rows().get(0).notRanked()).contains("5 rounds give a 93.8 % interval");
        assertThat(g.get(0).best()).isEmpty();
        assertThat(g.get(0).splitHalfSpearman()).isNull();
    }

    /**
     * Each row has its 6 rounds, but in different blocks (the total ran out in some, others were
     * skipped): only blocks 4 to 6 are complete, too few for a 95 % interval, so the ranks stand on
     * each row's own rounds.
     */
    @Test
    void tooFewCompleteBlocksRankOnTheRowsOwnRounds() {
        RankedRow early = row("tas", "hit", 2, true, 10, 11, 12, 13, 14, 15);
        RankedRow late = row("mcs", "hit", 2, true, 30, 31, 32, 33, 34, 35);
        List<Round> moved = late.rounds().stream().map(r -> r.at(r.order(), r.round() + 3)).toList();
        late = new RankedRow(late.lock(), late.waitStrategy(), late.workload(), late.cpus(), late.verdict(),
                late.mapsPerSecond(), late.p99(), null, RankedRow.UNRANKED, moved, late.latencyOp(), "", "", false);
        List<RankedRow> rows = Ranking.of(List.of(early, late)).get(0).rows();
        assertThat(rows).extracting(RankedRow::lock, RankedRow::rank).containsExactly(
                org.assertj.core.groups.Tuple.tuple("mcs", "1"), org.assertj.core.groups.Tuple.tuple("tas", "2"));
        assertThat(rows).allMatch(r -> r.relative() == null);
    }
}
