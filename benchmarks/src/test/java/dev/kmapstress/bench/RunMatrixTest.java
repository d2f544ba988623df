package dev.kmapstress.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmapstress.bench.RunMatrix.Arguments;
import dev.kmapstress.report.JmhFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's own arguments; and what a benchmark that fails does to a run (short runs in this
 * JVM, {@code -f 0}: a profile no machine has fails the benchmark's setup).
 */
class RunMatrixTest {

    @TempDir
    Path dir;

    @Test
    void threadCountsTakeNumbersAndMax() {
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(Arguments.threadCounts("1, 2,max")).containsExactly(1, 2, cpus);
    }

    @Test
    void aBadThreadCountNamesItAndWhatIsAllowed() {
        assertThatThrownBy(() -> Arguments.threadCounts("1,0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--threads 1,0: '0' is not a positive integer or max");
        assertThatThrownBy(() -> Arguments.threadCounts("two")).hasMessageContaining("'two'");
    }

    @Test
    void ownOptionsAreSplitFromJmhOnesAndDuplicateCountsDropped() {
        Arguments a = Arguments.parse(new String[] {"--threads", "2,1,2", "--out", "x/y.json", "--note", "quiet",
                "-f", "1", "-p", "lock=ticket", "Baselines.casReleasePair"});

        assertThat(a.threads).containsExactly(2, 1);
        assertThat(a.out).isEqualTo(Path.of("x/y.json"));
        assertThat(a.note).isEqualTo("quiet");
        assertThat(a.jmh.getForkCount().get()).isEqualTo(1);
        assertThat(a.jmh.getParameter("lock").get()).containsExactly("ticket");
        assertThat(a.benchmarks).extracting(e -> e.getUsername())
                .containsExactly("dev.kmapstress.bench.Baselines.casReleasePair");
    }

    @Test
    void jmhsOwnThreadAndResultOptionsAreRefused() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"-t", "4"}))
                .hasMessage("-t is not accepted here: use --threads LIST for thread counts; the results file is --out FILE");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"-rff", "a.json"})).hasMessageStartingWith("-rff ");
    }

    @Test
    void aPatternMatchingNoBenchmarkIsRefused() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"NoSuchBenchmark"}))
                .hasMessageStartingWith("no benchmark matches [NoSuchBenchmark]");
    }

    @Test
    void aMissingValueIsRefused() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--out"})).hasMessage("--out needs a value");
    }

    @Test
    void aLockParameterNoStrategyHasIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"-p", "lock=ticket,nope", "Baselines.bareLockUnlock"}))
                .hasMessageStartingWith("-p lock=ticket,nope: unknown lock strategy 'nope'; known: ")
                .hasMessageContaining("mcs, ").hasMessageContaining("ticket");
    }

    @Test
    void anOutThatCannotBeWrittenIsRefusedBeforeAnythingRuns() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--out", file.resolve("r.json").toString(),
            "Baselines.bareLockUnlock"})).hasMessage("--out " + file.resolve("r.json") + ": " + file
                + " is a file, not a directory; must be a file in a directory that can be written");
    }

    @Test
    void jmhsOutputFileIsRefused() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"-o", "log.txt"})).hasMessageStartingWith("-o ");
    }

    private static String[] shortRun(Path out, String profiles) {
        return new String[] {"--threads", "1", "--out", out.toString(), "-f", "0", "-wi", "0", "-i", "1", "-r",
            "50ms", "-p", "lock=ticket", "-p", "statistics=true", "-p", "profile=" + profiles, "KmapHigh.hitRoundTrip"};
    }

    @Test
    void aBenchmarkThatFailsFailsTheRunAndTheFileHoldsTheOthersMarkedIncomplete() throws IOException {
        Path out = dir.resolve("r.json");
        assertThat(RunMatrix.run(shortRun(out, "x86-pae,nope"))).isEqualTo(1);
        JsonNode results = new ObjectMapper().readTree(out.toFile());
        List<String> profiles = new ArrayList<>();
        results.forEach(r -> profiles.add(r.at("/params/profile").asText()));
        assertThat(profiles).containsExactly("x86-pae");
        assertThat(new ObjectMapper().readTree(JmhFiles.sidecar(out).toFile()).get("complete").asBoolean()).isFalse();
    }

    @Test
    void aRunWithNoResultWritesNothingAndFails() throws IOException {
        assertThat(RunMatrix.run(shortRun(dir.resolve("r.json"), "nope"))).isEqualTo(1);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
