package dev.kmapstress.report;

import static dev.kmapstress.report.BenchmarkNames.ATOMIC;
import static dev.kmapstress.report.BenchmarkNames.BARE_LOCK;
import static dev.kmapstress.report.BenchmarkNames.HIT;
import static dev.kmapstress.report.BenchmarkNames.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.report.Charts.ChartFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

class ChartsTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    private static JmhJson fullRun() {
        JmhJson j = new JmhJson();
        for (int t : new int[] {1, 2}) {
            for (String lock : new String[] {"ticket", "mcs"}) {
                j.add(HIT, t, 20.0 / t, 1, "lock", lock, "profile", "x86-pae", "statistics", "true").alloc(0.001 * t);
                j.add(BARE_LOCK, t, 80.0 / t, 2, "lock", lock);
            }
            j.add(LOCAL, t, 150.0 * t, 3, "profile", "x86-pae").alloc(0.003 * t);
            j.add(ATOMIC, t, 140.0 * t, 3, "profile", "x86-pae");
        }
        return j;
    }

    @Test
    void drawsEveryChartAsPngNamedAfterTheRun() throws IOException {
        List<ChartFile> charts = Charts.write(fullRun().run(dir, "quick.json"), dir.resolve("charts"));

        assertThat(charts).extracting(c -> c.file().getFileName().toString()).containsExactly(
                "quick-hit-vs-threads.png", "quick-lock-vs-threads.png", "quick-high-vs-local.png",
                "quick-allocation.png");
        for (ChartFile c : charts) {
            byte[] bytes = Files.readAllBytes(c.file());
            assertThat(Arrays.copyOf(bytes, 4)).as(c.file().toString()).isEqualTo(PNG_MAGIC);
        }
        assertThat(charts.get(0).title()).contains("kmap_high hit + kunmap_high", "x86-pae");
    }

    @Test
    void theAllocationChartSeparatesOneThreadFromMore() throws IOException {
        CategoryChart chart = Charts.allocation(fullRun().run(dir, "q.json")).orElseThrow();

        assertThat(chart.getSeriesMap()).containsOnlyKeys("1 thread", "more threads");
        assertThat(chart.getSeriesMap().get("1 thread").getYData()).map(Number::doubleValue)
                .containsExactly(0.001, 0.003);
        assertThat(chart.getSeriesMap().get("more threads").getYData()).map(Number::doubleValue)
                .containsExactly(0.002, 0.006);
    }

    @Test
    void theHighVersusLocalChartShowsKmapLocalWithItsStatisticsOn() throws IOException {
        JmhJson j = new JmhJson();
        j.add(HIT, 1, 30, 1, "lock", "ticket", "profile", "x86-pae", "statistics", "true");
        j.add(LOCAL, 1, 100, 1, "profile", "x86-pae", "statistics", "true");
        j.add(LOCAL, 1, 110, 1, "profile", "x86-pae", "statistics", "false");

        CategoryChart chart = Charts.highVersusLocal(j.run(dir, "s.json"), "s").orElseThrow();

        assertThat(chart.getSeriesMap().get("kmap_local_page + kunmap_local").getYData())
                .map(Number::doubleValue).containsExactly(100.0);
    }

    @Test
    void drawsNothingForARunWithoutTheFigures() throws IOException {
        JmhRun run = new JmhJson().add("Baselines.payloadRead", 1, 300, 3).run(dir, "r.json");
        assertThat(Charts.write(run, dir.resolve("charts"))).isEmpty();
        assertThat(dir.resolve("charts")).doesNotExist();
    }

    @Test
    void switchesToALogarithmicAxisWhenLocksDifferByMoreThanTwentyfold() throws IOException {
        JmhJson close = new JmhJson().add(BARE_LOCK, 1, 10, 1, "lock", "a").add(BARE_LOCK, 1, 150, 1, "lock", "b");
        JmhJson far = new JmhJson().add(BARE_LOCK, 1, 1, 1, "lock", "a").add(BARE_LOCK, 1, 150, 1, "lock", "b");

        XYChart linear = Charts.perLockVersusThreads(close.run(dir, "c.json").results(), "t").orElseThrow();
        XYChart log = Charts.perLockVersusThreads(far.run(dir, "f.json").results(), "t").orElseThrow();

        assertThat(linear.getStyler().isYAxisLogarithmic()).isFalse();
        assertThat(log.getStyler().isYAxisLogarithmic()).isTrue();
        assertThat(log.getYAxisTitle()).endsWith("log scale");
        assertThat(log.getSeriesMap()).containsOnlyKeys("a", "b");
    }
}
