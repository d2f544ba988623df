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
                .noneMatch(l -> l.contains("none ranked"));
        assertThat(text.get(text.size() - 1)).contains("tas/kernel (1)").doesNotContain("mcs");
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
    }
}
