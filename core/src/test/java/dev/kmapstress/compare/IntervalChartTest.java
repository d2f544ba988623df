package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts: one pair per workload x CPUs, failed rows labelled FAILED and drawn last, without a dot. */
class IntervalChartTest {

    @TempDir
    Path dir;

    @Test
    void drawsThroughputAndLatencyPerGroupNamedForIt() throws IOException {
        Ranking.Group g = Ranking.of(List.of(RankingTest.row("busted", "hit", 2, false, 900, 950, 990),
                RankingTest.row("ticket", "hit", 2, true, 10, 12, 14, 11, 13),
                RankingTest.row("mcs", "hit", 2, true, 12, 15, 13, 14, 16),
                RankingTest.row("tas", "hit", 2, true, 30, 35, 33, 31, 34))).get(0);
        List<IntervalChart.Png> pngs = IntervalChart.draw("compare-x86-pae", g, "x86-pae, 5 rounds of 1s");
        assertThat(pngs).extracting(IntervalChart.Png::name).containsExactly("compare-x86-pae-hit-2cpu-throughput.png",
                "compare-x86-pae-hit-2cpu-latency.png");
        for (IntervalChart.Png p : pngs) {
            assertThat(p.bytes()).startsWith(0x89, 'P', 'N', 'G');
            Files.write(dir.resolve(p.name()), p.bytes());
        }
        assertThat(g.rows()).extracting(IntervalChart::label)
                .containsExactly("1. tas/kernel", "2-3. mcs/kernel", "2-3. ticket/kernel", "FAILED busted/kernel");
        if (System.getProperty("chart.dir") != null) {
            for (IntervalChart.Png p : pngs) {
                Files.write(Path.of(System.getProperty("chart.dir"), p.name()), p.bytes());
            }
        }
    }
}
