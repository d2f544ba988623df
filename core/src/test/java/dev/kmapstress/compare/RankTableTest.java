package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The text table: what a row's rank stands on, and what it says of rows it cannot rank. */
class RankTableTest {

    @Test
    void aRowShortOfRoundsSaysWhyItIsNotRanked() {
        List<Ranking.Group> g = Ranking.of(List.of(RankingTest.row("tas", "hit", 2, true, 10, 11, 12, 13, 14, 15),
                RankingTest.row("mcs", "hit", 2, true, 65_450)));
        List<String> text = RankTable.text(g, 9);
        assertThat(text).anyMatch(l -> l.startsWith("1     tas/kernel"))
                .anyMatch(l -> l.startsWith("-     mcs/kernel") && l.endsWith("SUCCESS: not ranked: 1 round gives a"
                        + " 0.0 % interval, ranking needs 6 (95 %) (1 rounds)"))
                .noneMatch(l -> l.contains("none ranked"))
                .contains("  no best lock: 1 configuration that passed had too few rounds to be ranked, and may be"
                        + " faster than the ranked ones");
        // mcs's one round is the fastest median: tas, ranked alone, must not be named best.
        assertThat(text.get(text.size() - 1)).matches("hit +undecided \\(1 unranked\\) *");
    }

    @Test
    void aGroupWithNoRowToRankSaysSoAndNamesNoBestLock() {
        List<Ranking.Group> g = Ranking.of(List.of(RankingTest.row("tas", "hit", 1, true, 10, 11),
                RankingTest.row("mcs", "hit", 1, true, 30, 31), RankingTest.row("busted", "hit", 2, false, 5)));
        List<String> text = RankTable.text(g, 2);
        assertThat(text).contains("  none ranked: no configuration that passed has the 6 rounds a 95 % interval needs"
                + " (--rounds 6 or more, a --total long enough for them)");
        assertThat(text).filteredOn(l -> l.contains("none ranked")).hasSize(2);
        assertThat(text.get(text.size() - 1)).matches("hit +none ranked +none passed *");
        // No ranking, so no split-half line judging one, in the table or in the report.
        assertThat(g.get(0).cpus()).isEqualTo(1);
        assertThat(RankTable.group(g.get(0), 2)).noneMatch(l -> l.contains("split-half"));
        assertThat(RankTable.markdown(g.subList(0, 1), s -> s)).contains("none ranked").doesNotContain("split-half");
    }

    @Test
    void everyLabelStatesTheIntervalsRealCoverage() {
        List<Ranking.Group> nine = Ranking.of(List.of(RankingTest.row("tas", "hit", 2, true, 10, 14, 11, 13, 12, 15, 9,
                12, 13), RankingTest.row("mcs", "hit", 2, true, 12, 10, 14, 11, 13, 9, 15, 12, 11)));
        assertThat(RankTable.text(nine, 9)).contains("workload hit, 2 CPUs (median of 9 rounds [96.1 % interval])",
                "  rank 1-2: indistinguishable from the others its range covers at 96.1 %: tas/kernel, mcs/kernel")
                .anyMatch(l -> l.startsWith("  ranked by 'vs block'") && l.endsWith("(9 complete blocks: 96.1 % intervals)"));
        assertThat(RankTable.markdown(nine, s -> s)).contains("| maps/s median [96.1 % interval] | vs block [96.1 %] |");

        List<Ranking.Group> three = Ranking.of(List.of(RankingTest.row("tas", "hit", 2, true, 10, 11, 12)));
        assertThat(RankTable.text(three, 3)).contains("workload hit, 2 CPUs (median of 3 rounds [75.0 % interval])");

        List<Ranking.Group> mixed = Ranking.of(List.of(RankingTest.row("tas", "hit", 2, true, 10, 11, 12, 13, 14, 15),
                RankingTest.row("mcs", "hit", 2, true, 10, 11, 12, 13, 14, 15, 16, 17)));
        assertThat(RankTable.text(mixed, 8)).contains(
                "workload hit, 2 CPUs (median of each row's rounds [96.9 to 99.2 % interval])");
    }
}
