package dev.kmapstress.report;

import static dev.kmapstress.report.BenchmarkNames.HIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kmap-stress report} end to end, through the command line. */
class ReportCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void writesTheReportAndChartsFromEveryResultsFile() throws IOException {
        Path results = Files.createDirectories(dir.resolve("results/jmh"));
        new JmhJson().add(HIT, 1, 20, 1, "lock", "ticket", "profile", "x86-pae", "statistics", "true").alloc(0.01)
                .write(results.resolve("quick.json"));
        new JmhJson().add("Baselines.payloadRead", 1, 300, 3).write(results.resolve("old.json"));
        Path report = dir.resolve("results/REPORT.md");

        int exit = run("report", "--results", results.toString(), "--out", report.toString());

        assertThat(exit).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).isEqualTo("wrote " + report + " from 2 results file(s), with 2 chart(s) in "
                + results.resolve("charts") + System.lineSeparator());
        assertThat(Files.readString(report)).contains("## old (", "## quick (", "(jmh/charts/quick-hit-vs-threads.png)");
        assertThat(results.resolve("charts/quick-allocation.png")).isRegularFile();
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        Path results = Files.createDirectories(dir.resolve("jmh"));
        Files.writeString(results.resolve("broken.json"), "{not json");

        int exit = run("report", "--results", results.toString(), "--out", dir.resolve("R.md").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("report: " + results.resolve("broken.json") + ": not valid JSON: ");
        assertThat(dir.resolve("R.md")).doesNotExist();
    }

    @Test
    void compareTakesTwoFilesAndPrintsTheRatios() throws IOException {
        Path old = new JmhJson().add(HIT, 1, 10, 0.1, "lock", "ticket").write(dir.resolve("old.json"));
        Path neu = new JmhJson().add(HIT, 1, 12, 0.1, "lock", "ticket").write(dir.resolve("new.json"));

        int exit = run("report", "--compare", old.toString(), neu.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("| KmapHigh.hitRoundTrip | thrpt | 1 | lock=ticket | 10 ± 0.1 | 12 ± 0.1 |"
                + " ops/us | 1.2 ± 0.0156 | faster |");
    }

    @Test
    void compareRefusesASecondPairOrAReportOptionItWouldIgnore() throws IOException {
        Path old = new JmhJson().add(HIT, 1, 10, 0.1).write(dir.resolve("old.json"));
        Path neu = new JmhJson().add(HIT, 1, 12, 0.1).write(dir.resolve("new.json"));
        Path report = dir.resolve("R.md");

        assertThat(run("report", "--compare", old.toString(), neu.toString(), "--compare", neu.toString(),
                old.toString())).isEqualTo(2);
        assertThat(run("report", "--compare", old.toString(), neu.toString(), "--out", report.toString()))
                .isEqualTo(2);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                "report: --compare takes one OLD.json NEW.json pair; given 4 files: [" + old + ", " + neu + ", " + neu
                        + ", " + old + "]; try 'kmap-stress report --help'",
                "report: --out with --compare: --compare prints its comparison and writes no report; give --out for a"
                        + " report, without --compare; try 'kmap-stress report --help'");
        assertThat(report).doesNotExist();
    }

    @Test
    void compareWithAMissingFileIsExitTwo() throws IOException {
        Path old = new JmhJson().add(HIT, 1, 10, 0.1).write(dir.resolve("old.json"));

        int exit = run("report", "--compare", old.toString(), dir.resolve("gone.json").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("report: " + dir.resolve("gone.json") + ": no such file"
                + "; try 'kmap-stress report --help'" + System.lineSeparator());
    }

    @Test
    void addsTheTortureAndCompareRunsOfTheTortureFolder() throws IOException {
        Path jmh = Files.createDirectories(dir.resolve("results/jmh"));
        new JmhJson().add(HIT, 1, 20, 1, "lock", "ticket").write(jmh.resolve("quick.json"));
        Path torture = dir.resolve("results/torture");
        assertThat(run("torture", "--duration", "300ms", "--stat-interval", "100ms", "--cpus", "2", "--seed", "5",
                "--quiet", "--json", torture.resolve("run.json").toString())).as(err.toString()).isZero();
        assertThat(run("compare", "--locks", "ticket,mcs", "--wait-strategies", "kernel", "--duration", "200ms",
                "--rounds", "3", "--warmup", "0", "--cpus", "2", "--seed", "4", "--out", torture.toString())).as(err.toString()).isZero();
        Path report = dir.resolve("results/REPORT.md");

        int exit = run("report", "--results", jmh.toString(), "--torture", torture.toString(), "--out", report.toString());

        assertThat(exit).as(err.toString()).isZero();
        String md = Files.readString(report);
        assertThat(md).contains("# Torture and compare runs", "## Torture runs", "| `run.json` | x86-pae | qspinlock / kernel |",
                "| 2 × ", "| **SUCCESS** |", "## Lock comparison `compare-x86-pae-", "| ticket/kernel |",
                "| mcs/kernel |", "](torture/compare-x86-pae-");
        assertThat(md.indexOf("## Torture runs")).isGreaterThan(md.indexOf("## quick ("));
    }

    @Test
    void aStrayFileInTheTortureFolderIsRefusedByName() throws IOException {
        Path jmh = Files.createDirectories(dir.resolve("jmh"));
        new JmhJson().add(HIT, 1, 20, 1).write(jmh.resolve("quick.json"));
        Path torture = Files.createDirectories(dir.resolve("torture"));
        Files.writeString(torture.resolve("notes.json"), "{\"schema\": \"mine/1\"}");

        int exit = run("report", "--results", jmh.toString(), "--torture", torture.toString(),
                "--out", dir.resolve("R.md").toString());

        assertThat(exit).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("report: " + torture.resolve("notes.json") + ": not a torture or compare"
                + " results file: expected 'schema' kmap-stress-torture/1 or kmap-stress-compare/2 or kmap-stress-compare/1, found 'mine/1'"
                + "; try 'kmap-stress report --help'" + System.lineSeparator());
        assertThat(dir.resolve("R.md")).doesNotExist();
    }
}
