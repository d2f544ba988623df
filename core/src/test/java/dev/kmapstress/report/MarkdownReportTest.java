package dev.kmapstress.report;

import dev.kmapstress.results.Environment;
import static dev.kmapstress.report.BenchmarkNames.HIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.report.Charts.ChartFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkdownReportTest {

    @TempDir
    Path dir;

    @Test
    void rendersEnvironmentTargetsChartsAndOneTablePerBenchmark() throws IOException {
        Environment env = new Environment("2025-01-01T00:00:00Z", "0.1", "abc123",
                "java -cp b.jar RunMatrix 'A|B'", "a loaded machine", "OpenJDK 17", "Linux", "AMD EPYC", 2, 512,
                4.2, 3.9);
        Path file = dir.resolve("jmh/quick.json");
        JmhFiles.write(file, env, true, new JmhJson()
                .add(HIT, 1, 20, 1, "lock", "ticket", "profile", "x86-pae", "statistics", "true").alloc(0.001)
                .add(HIT, 2, 5, 1, "lock", "ticket", "profile", "x86-pae", "statistics", "true").alloc(0.002)
                .add("Handoff.mappersVsUnmapper", 2, 0.1, 0.01, "lock", "ticket").part("mapper", 0.05, 0.01)
                .part("unmapper", 0.05, 0.01)
                .text());
        JmhRun run = JmhFiles.read(file);
        Path chart = dir.resolve("jmh/charts/quick-allocation.png");

        String md = MarkdownReport.render(List.of(run), Map.of(file, List.of(new ChartFile("Allocation", chart))),
                dir.resolve("REPORT.md"), "## Summary\n\n");

        assertThat(md).startsWith("# kmap-stress benchmark report\n")
                .containsSubsequence("## Summary\n", "## quick (")
                .contains("## quick (`" + file + "`)\n")
                .contains("| command | `java -cp b.jar RunMatrix 'A\\|B'` |")
                .contains("| load average | 4.2 at the start, 3.9 at the end")
                .contains("| note | a loaded machine |")
                .contains("| no path allocates (kmap_high hit, kmap_local, the lock baselines; every lock, 1 and 2"
                        + " threads) | < 1 B/op | 0.002 ± 0 B/op | **PASS** |")
                .contains("![Allocation](jmh/charts/quick-allocation.png)")
                .contains("#### KmapHigh.hitRoundTrip (thrpt)\n\n| threads | lock | profile | statistics | score ± error | unit | B/op |")
                .contains("| 1 | ticket | x86-pae | true | 20 ± 1 | ops/us | 0.001 |")
                .contains("| threads | lock | part | score ± error | unit | B/op |")
                .contains("| 2 | ticket | all | 0.1 ± 0.01 | ops/us | - |")
                .contains("| 2 | ticket | unmapper | 0.05 ± 0.01 | ops/us | - |")
                .doesNotContain("INCOMPLETE");
    }

    @Test
    void anIncompleteRunIsMarked() throws IOException {
        Path file = dir.resolve("full.json");
        JmhFiles.write(file, Environment.capture("x", ""), false,
                new JmhJson().add("Baselines.payloadRead", 1, 300, 3).text());

        String md = MarkdownReport.render(List.of(JmhFiles.read(file)), Map.of(), dir.resolve("REPORT.md"), "");

        assertThat(md).contains("## full (`" + file + "`) — INCOMPLETE").doesNotContain("### Charts");
    }
}
