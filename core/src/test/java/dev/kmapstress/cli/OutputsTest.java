package dev.kmapstress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * An output that could never be written is refused before anything runs (one line, exit 2,
 * nothing left behind), not found at the end of a long run; a write that fails anyway is one
 * line with a status of its own.
 */
class OutputsTest {

    @TempDir
    Path dir;

    /**
     * Each command's output, as a path below a file: {@code FILE} stands for that file,
     * {@code RESULTS} for a folder of JMH results, {@code REPORT} for a report that could be written.
     */
    static Stream<Arguments> unwritable() {
        return Stream.of(
                Arguments.of(List.of("torture", "--duration", "1s", "--json", "FILE/x.json"), "--json FILE/x.json",
                        "must be a file in a directory that can be written"),
                Arguments.of(List.of("compare", "--locks", "tas", "--wait-strategies", "kernel", "--rounds", "2",
                        "--duration", "100ms", "--out", "FILE/sub"), "--out FILE/sub",
                        "must be a directory that can be written or created"),
                Arguments.of(List.of("compare", "--merge", "FILE", "--out", "FILE/sub"), "--out FILE/sub",
                        "must be a directory"),
                Arguments.of(List.of("report", "--results", "RESULTS", "--out", "FILE/R.md"), "--out FILE/R.md",
                        "must be a file"),
                Arguments.of(List.of("report", "--results", "RESULTS", "--out", "REPORT", "--charts", "FILE/c"),
                        "--charts FILE/c", "must be a directory"));
    }

    @ParameterizedTest
    @MethodSource("unwritable")
    void anOutputBelowAFileIsRefusedUpFrontInOneLine(List<String> args, String echo, String allowed)
            throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path results = Files.createDirectory(dir.resolve("results"));
        Files.writeString(results.resolve("run.json"), "[{\"benchmark\": \"a.B.c\", \"mode\": \"thrpt\", \"threads\": 1,"
                + " \"primaryMetric\": {\"score\": 1.0, \"scoreError\": 0.1, \"scoreUnit\": \"ops/us\"}}]");
        List<String> line = new ArrayList<>();
        for (String a : args) {
            line.add(a.replace("FILE", file.toString()).replace("RESULTS", results.toString())
                    .replace("REPORT", dir.resolve("R.md").toString()));
        }
        CliRun.Result r = CliRun.run(line.toArray(String[]::new));
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).hasLineCount(1).contains(echo.replace("FILE", file.toString()),
                file + " is a file, not a directory", allowed).doesNotContain("Exception");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactlyInAnyOrder(file, results);
        }
    }

    /** The output's folder is a link to nothing: refused up front, not found unwritable at the end. */
    @Test
    void anOutputThroughALinkToNothingIsRefusedUpFront() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("gone"));
        CliRun.Result r = CliRun.run("torture", "--duration", "1s", "--json", link.resolve("x.json").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).hasLineCount(1).contains(link + " is a symbolic link to nothing");
    }

    /** kernel-check refuses its --out before looking for kernels or booting any. */
    @Test
    void kernelCheckRefusesItsOutBeforeItBoots() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        CliRun.Result r = CliRun.run("kernel-check", "--tools", dir.resolve("no-tools").toString(), "--out",
                file.resolve("d").toString(), "any.scenario");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).hasLineCount(1).contains("--out " + file.resolve("d") + ": " + file
                + " is a file, not a directory");
    }

    /** report names --results, not the --charts folder inside it, when --results is a file. */
    @Test
    void reportBlamesAResultsFileNotTheChartsInIt() throws IOException {
        Path file = Files.writeString(dir.resolve("f.json"), "[]");
        CliRun.Result r = CliRun.run("report", "--results", file.toString(), "--out", dir.resolve("R.md").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).hasLineCount(1).contains(file + ": is a file, not a directory").doesNotContain("--charts");
    }

    @Test
    void aWriteThatFailsAnywayIsOneLineWithTheIoStatus() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine().getSubcommands().get("torture");
        cmd.setErr(new PrintWriter(err));
        int exit = new Main.ExecutionErrors().handleExecutionException(
                new IOException("cannot write /r/x.json: No space left on device"), cmd, null);
        assertThat(exit).isEqualTo(Errors.IO).isNotIn(0, 1, 2, 130);
        assertThat(err.toString()).isEqualTo("torture: cannot write /r/x.json: No space left on device\n");
    }
}
