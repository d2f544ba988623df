package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.results.CompareFile;
import dev.kmapstress.results.Environment;
import dev.kmapstress.results.ResultsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The charts: one pair per workload x CPUs, failed rows labelled FAILED and drawn last, without a
 * dot; drawn without ImageIO's disk cache; one that cannot be written costs only itself.
 */
class IntervalChartTest {

    @TempDir
    Path dir;

    @Test
    void drawsThroughputAndLatencyPerGroupNamedForIt() throws IOException {
        Ranking.Group g = Ranking.of(List.of(RankingTest.row("busted", "hit", 2, false, 900, 950, 990),
                RankingTest.row("ticket", "hit", 2, true, 10, 12, 14, 11, 13, 12),
                RankingTest.row("mcs", "hit", 2, true, 12, 15, 13, 14, 16, 14),
                RankingTest.row("tas", "hit", 2, true, 30, 35, 33, 31, 34, 32),
                RankingTest.row("short", "hit", 2, true, 90, 95, 99))).get(0);
        List<IntervalChart.Png> pngs = IntervalChart.draw("compare-x86-pae", g, "x86-pae, 5 rounds of 1s");
        assertThat(pngs).extracting(IntervalChart.Png::name).containsExactly("compare-x86-pae-hit-2cpu-throughput.png",
                "compare-x86-pae-hit-2cpu-latency.png");
        for (IntervalChart.Png p : pngs) {
            assertThat(p.bytes()).startsWith(0x89, 'P', 'N', 'G');
            Files.write(dir.resolve(p.name()), p.bytes());
        }
        assertThat(g.rows()).extracting(IntervalChart::label)
                .containsExactly("1. tas/kernel", "2-3. mcs/kernel", "2-3. ticket/kernel", "unranked short/kernel",
                        "FAILED busted/kernel");
        // 6 rounds give 96.9 %, the short row's 3 rounds 75.0 %: the title says both, not "95 %".
        assertThat(IntervalChart.caption(RankTable.coverage(RankTable.rounds(g.rows())), g, "x86-pae, 6 rounds of 1s"))
                .isEqualTo(": median and 75.0 to 96.9 % interval"
                + " of the rounds (workload hit, 2 CPUs, x86-pae, 6 rounds of 1s)");
        if (System.getProperty("chart.dir") != null) {
            for (IntervalChart.Png p : pngs) {
                Files.write(Path.of(System.getProperty("chart.dir"), p.name()), p.bytes());
            }
        }
    }

    /**
     * ImageIO's disk cache registers a shutdown hook, refused while the JVM shuts down (Ctrl-C,
     * SIGTERM); a cache folder that has gone away makes the same code fail in-process.
     */
    @Test
    void drawsWithoutImageIOsDiskCache() throws IOException {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        ImageIO.setCacheDirectory(cache.toFile());
        Files.delete(cache);
        try {
            List<IntervalChart.Png> pngs = IntervalChart.draw("c", group("hit", 2), "x86-pae, 2 rounds of 1s");
            assertThat(pngs).hasSize(2).allSatisfy(p -> assertThat(p.bytes()).startsWith(0x89, 'P', 'N', 'G'));
        } finally {
            ImageIO.setCacheDirectory(null);
        }
    }

    @Test
    void aChartThatCannotBeWrittenIsAWarningAndTheResultsFileNamesOnlyTheChartsWritten() throws IOException {
        Ranking.Group hit = group("hit", 2);
        Ranking.Group miss = group("miss", 2);
        List<RankedRow> rows = new ArrayList<>(hit.rows());
        rows.addAll(miss.rows());
        CompareResult c = new CompareResult("2024-01-01T00:00:00Z", true, Map.of("profile", "x86-pae"), rows,
                new CompareResult.Reproducibility(null, List.of()), List.of(), 0, List.of());
        // A non-empty folder where the miss group's throughput chart goes: no file can be renamed onto it.
        Files.createDirectories(dir.resolve("c-miss-2cpu-throughput.png").resolve("x"));
        List<String> warnings = new ArrayList<>();

        CompareFile written = ResultsFiles.writeCompare(dir, "c", new CompareFile(null, Environment.capture("compare",
                ""), c), warnings::add);

        assertThat(warnings).singleElement().asString().contains("workload miss, 2 CPUs",
                "c-miss-2cpu-throughput.png");
        List<String> charts = ((CompareFile) ResultsFiles.read(dir.resolve("c.json"))).comparison().charts();
        assertThat(charts).isEqualTo(written.comparison().charts()).containsExactly("c-hit-2cpu-throughput.png",
                "c-hit-2cpu-latency.png");
        assertThat(charts).allSatisfy(name -> assertThat(dir.resolve(name)).isRegularFile());
        assertThat(((CompareFile) ResultsFiles.read(dir.resolve("c.json"))).comparison().rows()).hasSize(6);
    }

    private static Ranking.Group group(String workload, int cpus) {
        return Ranking.of(List.of(RankingTest.row("ticket", workload, cpus, true, 10, 12, 14),
                RankingTest.row("mcs", workload, cpus, true, 12, 15, 13),
                RankingTest.row("tas", workload, cpus, true, 30, 35, 33))).get(0);
    }
}
