package dev.kmapstress.report;

import static dev.kmapstress.report.BenchmarkNames.HIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.results.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportSummaryTest {

    @TempDir
    Path dir;

    private JmhRun run(String name, String date, JmhJson json) throws IOException {
        Path file = dir.resolve("jmh/" + name + ".json");
        JmhFiles.write(file, new Environment(date, "0.1", "abc123", "cmd", "", "JDK", "Linux", "CPU", 2, 512,
                new Environment.LoadAverage(1, 1)), true, json.text());
        return JmhFiles.read(file);
    }

    /** The hit round trip at 1 and 2 threads, allocating {@code bytesPerOp}: the allocation target's figures. */
    private static JmhJson hit(double bytesPerOp) {
        return new JmhJson().add(HIT, 1, 20, 1, "lock", "ticket", "profile", "x86-pae", "statistics", "true")
                .alloc(bytesPerOp)
                .add(HIT, 2, 10, 1, "lock", "ticket", "profile", "x86-pae", "statistics", "true").alloc(bytesPerOp);
    }

    @Test
    void runsComeNewestFirst() throws IOException {
        List<JmhRun> runs = ReportSummary.newestFirst(List.of(run("a-old", "2026-01-01T00:00:00Z", hit(0)),
                run("b-new", "2026-03-01T00:00:00Z", hit(0)), run("c-mid", "2026-02-01T00:00:00Z", hit(0))));
        assertThat(runs).extracting(JmhRun::stem).containsExactly("b-new", "c-mid", "a-old");
    }

    @Test
    void eachTargetTakesTheNewestRunThatMeasuredIt() throws IOException {
        List<JmhRun> runs = ReportSummary.newestFirst(List.of(
                run("old", "2026-01-01T00:00:00Z", hit(0.001)),
                run("mid", "2026-02-01T00:00:00Z", hit(20)),
                run("newest", "2026-03-01T00:00:00Z", new JmhJson().add("Baselines.payloadRead", 1, 300, 3))));
        String allocation = Targets.allocationFree(runs.get(2)).claim();

        String md = ReportSummary.render(runs, dir);

        assertThat(md).startsWith("## Summary\n")
                .containsPattern("\\| " + java.util.regex.Pattern.quote(MarkdownReport.cell(allocation)) + " \\| \\*\\*FAIL\\*\\* \\| 20 [^|]*\\| `mid` \\(2026-02-01T00:00:00Z\\) \\|")
                .contains("| JCStress (`jcstress/SUMMARY.md`) | no committed run |");
    }

    @Test
    void theNewestComparisonIsSummedUp() throws IOException {
        // The newest in compare/ (the main job's folder), older ones in torture/ beside it.
        Path committed = Path.of("../results/torture/compare-x86-pae-20261123-141019.json");
        Files.createDirectories(dir.resolve("compare"));
        Files.copy(committed, dir.resolve("compare/compare-quiet.json"));
        Files.createDirectories(dir.resolve("torture"));
        Files.copy(Path.of("../results/torture/compare-x86-pae-20261123-123715.json"),
                dir.resolve("torture/compare-older.json"));

        String md = ReportSummary.render(List.of(), dir);

        // A version-1 file: one round per lock, so no interval and no rank.
        assertThat(md).contains("Latest compare: `compare-quiet.json` (2026-11-23T14:09:18Z): 30 runs, 30 SUCCESS;"
                + " none ranked (too few rounds for a 95 % interval).");
    }

    @Test
    void theSuitesVerdictsComeFromTheirCommittedOutputs() throws IOException {
        Files.createDirectories(dir.resolve("jcstress"));
        Files.writeString(dir.resolve("jcstress/SUMMARY.md"), "# JCStress suite: full run\n\n"
                + "- Verdict: **PASS**, 59 of 59 selected tests ran\n- Date: 2026-11-23T12:36:00Z\n");
        Files.createDirectories(dir.resolve("lincheck"));
        Files.writeString(dir.resolve("lincheck/runs.tsv"), "structure\tvariant\tmode\tbudget\texpected\toutcome\t"
                + "millis\tcpu millis\tfirst line\n"
                + "lock\tfaithful\tstress\tfast\tpass\tpassed\t1\t1\t\n"
                + "lock\tbusted\tmodel checking\tfast\tfailure\tfound\t1\t1\tx\n"
                + "lock\tWAKE_ONE\tstress\tfast\tfailure\tnot found\t1\t1\t\n");

        String md = ReportSummary.render(List.of(), dir);

        assertThat(md).contains("| JCStress (`jcstress/SUMMARY.md`) | **PASS**, 59 of 59 selected tests ran;"
                        + " 2026-11-23T12:36:00Z |",
                "| Lincheck (`lincheck/runs.tsv`) | **FAIL**, 1 of 1 faithful checks passed, 1 of 2 seeded-fault checks"
                        + " found their fault |");
    }
}
