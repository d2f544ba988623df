package dev.kmapstress.report;

import dev.kmapstress.results.Environment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhFilesTest {

    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(JmhFilesTest.class.getResource("/jmh/" + name).toURI());
    }

    @Test
    void readsRealJmhOutputWithNaNErrorsAllocationAndGroupParts() throws Exception {
        JmhRun run = JmhFiles.read(resource("plain-jmh.json"));

        assertThat(run.results()).extracting(JmhResult::name, JmhResult::threads).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Baselines.casReleasePair", 1),
                org.assertj.core.groups.Tuple.tuple("Handoff.mappersVsUnmapper", 2),
                org.assertj.core.groups.Tuple.tuple("Baselines.casReleasePair", 2));
        JmhResult cas = run.results().get(0);
        assertThat(cas.primary().score()).isGreaterThan(0);
        assertThat(cas.primary().hasError()).as("two iterations give JMH no error estimate").isFalse();
        assertThat(cas.allocation().unit()).isEqualTo("B/op");
        JmhResult group = run.results().get(1);
        assertThat(group.params()).containsEntry("lock", "ticket").containsEntry("pressure", "FEWER");
        assertThat(group.secondary()).containsKeys("mapper", "unmapper");
        assertThat(run.environment().jdk()).contains("17.0.15");
        assertThat(run.environment().command()).contains("not recorded");
        assertThat(run.complete()).isTrue();
    }

    @Test
    void writesJmhsArrayUnchangedAndTheEnvironmentInASidecar() throws IOException {
        Environment env = new Environment("2025-01-01T00:00:00Z", "0.1", "abc123", "java -cp x Y",
                "loaded machine", "jdk", "os", "cpu", 4, 512, new Environment.LoadAverage(1.5, Double.NaN));
        Path file = dir.resolve("sub/run.json");
        String jmh = new JmhJson().add("KmapHigh.hitRoundTrip", 1, 10, 1, "lock", "ticket").text();
        JmhFiles.write(file, env, false, jmh);

        assertThat(Files.readString(file)).as("JMH's JSON, byte for byte").isEqualTo(jmh);
        assertThat(dir.resolve("sub/run.env.json")).content().contains(JmhFiles.ENV_FORMAT, "\"results\" : \"run.json\"");
        JmhRun run = JmhFiles.read(file);

        assertThat(run.environment()).isEqualTo(env);
        assertThat(run.complete()).isFalse();
        assertThat(run.results()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("KmapHigh.hitRoundTrip");
            assertThat(r.primary()).isEqualTo(new Metric(10, 1, "ops/us"));
        });
        assertThat(run.stem()).isEqualTo("run");
    }

    @Test
    void readsTheOlderFileThatWrappedTheArrayWithItsEnvironment() throws IOException {
        Path file = dir.resolve("old.json");
        Files.writeString(file, "{\"format\": \"" + JmhFiles.FORMAT + "\", \"complete\": true,"
                + " \"environment\": {\"jdk\": \"jdk\", \"os\": \"os\", \"cpuModel\": \"cpu\", \"cpus\": 2,"
                + " \"date\": \"2026-11-23T14:29:10Z\", \"command\": \"c\", \"loadBefore\": 1.1,"
                + " \"loadAfter\": 2.0, \"note\": \"quiet\"},"
                + " \"benchmarks\": " + new JmhJson().add("Baselines.casReleasePair", 1, 100, 1).text() + "}");

        JmhRun run = JmhFiles.read(file);

        assertThat(run.environment().note()).isEqualTo("quiet");
        assertThat(run.environment().loadAverage().end()).isEqualTo(2.0);
        assertThat(run.complete()).isTrue();
        assertThat(run.results()).extracting(JmhResult::name).containsExactly("Baselines.casReleasePair");
    }

    @Test
    void aSidecarIsNotReadAsResults() throws IOException {
        JmhFiles.write(dir.resolve("run.json"), Environment.capture("x", ""), true,
                new JmhJson().add("Baselines.casReleasePair", 1, 100, 1).text());

        assertThat(JmhFiles.readAll(dir)).extracting(JmhRun::stem).containsExactly("run");
        Path sidecar = dir.resolve("run.env.json");
        assertThatThrownBy(() -> JmhFiles.read(sidecar)).hasMessage(sidecar
                + ": an environment sidecar, not JMH results: read the results file run.json beside it");
    }

    @Test
    void missingFileIsOneLineNamingIt() {
        Path file = dir.resolve("absent.json");
        assertThatThrownBy(() -> JmhFiles.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": no such file");
    }

    @Test
    void malformedJsonSaysWhere() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.json"), "[{\"benchmark\": }]");
        assertThatThrownBy(() -> JmhFiles.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": not valid JSON: ")
                .hasMessageContaining("line 1, column")
                .hasMessageNotContaining("\n");
    }

    @Test
    void jsonThatIsNotJmhIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("other.json"), "{\"name\": \"torture\"}");
        assertThatThrownBy(() -> JmhFiles.read(file)).hasMessage(file
                + ": not JMH results: expected JMH's JSON array (-rf json) or a kmap-stress-jmh/1 object");
    }

    @Test
    void anEmptyArrayIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("empty.json"), "[ ]");
        assertThatThrownBy(() -> JmhFiles.read(file)).hasMessage(file
                + ": holds no benchmark results (an empty array: no benchmark matched, or every one failed)");
    }

    @Test
    void aResultWithoutScoreNamesTheResult() throws IOException {
        Path file = Files.writeString(dir.resolve("noscore.json"), "[{\"benchmark\": \"a.B.c\", \"mode\": \"thrpt\","
                + " \"threads\": 1, \"primaryMetric\": {\"scoreUnit\": \"ops/us\"}}]");
        assertThatThrownBy(() -> JmhFiles.read(file))
                .hasMessage(file + ": result #1 (a.B.c) primaryMetric: 'score' is not a number");
    }

    @Test
    void aResultWithoutThreadsIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("nothreads.json"), "[{\"benchmark\": \"a.B.c\", \"mode\": \"thrpt\"}]");
        assertThatThrownBy(() -> JmhFiles.read(file))
                .hasMessage(file + ": result #1 (a.B.c): 'threads' must be a positive integer");
    }

    @Test
    void readAllTakesEveryJsonFileInNameOrder() throws IOException {
        new JmhJson().add("Baselines.casReleasePair", 1, 100, 1).write(dir.resolve("b.json"));
        new JmhJson().add("Baselines.payloadRead", 1, 300, 1).write(dir.resolve("a.json"));
        Files.writeString(dir.resolve("notes.txt"), "not a result");

        List<JmhRun> runs = JmhFiles.readAll(dir);

        assertThat(runs).extracting(JmhRun::stem).containsExactly("a", "b");
    }

    @Test
    void readAllRefusesAnEmptyOrMissingFolderOrAFile() throws java.io.IOException {
        assertThatThrownBy(() -> JmhFiles.readAll(dir))
                .hasMessage(dir + ": no *.json results in it; run the JMH commands of benchmarks/README.md first");
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> JmhFiles.readAll(missing))
                .hasMessage(missing + ": no such directory (expected a directory of JMH results *.json)");
        Path file = java.nio.file.Files.writeString(dir.resolve("quick.json"), "[]");
        assertThatThrownBy(() -> JmhFiles.readAll(file))
                .hasMessage(file + ": is a file, not a directory (expected a directory of JMH results *.json)");
    }
}
