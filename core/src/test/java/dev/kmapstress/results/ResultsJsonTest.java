package dev.kmapstress.results;

import dev.kmapstress.torture.TestRuns;
import dev.kmapstress.torture.TortureResult;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results file's schema ({@code kmap-stress-torture/1}), which {@code ./kmap-stress report}
 * reads: every field a reader may rely on, with its type, for a passing and a failing run.
 */
@Timeout(60)
class ResultsJsonTest {

    @TempDir
    Path dir;

    private JsonNode run(String duration, String... extra) throws IOException {
        Path json = dir.resolve("r.json");
        List<String> args = new java.util.ArrayList<>(List.of("torture", "--duration", duration, "--stat-interval",
                "100ms", "--cpus", "2", "--seed", "9", "--quiet", "--json", json.toString()));
        args.addAll(List.of(extra));
        TestRuns.cli(args.toArray(String[]::new));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file is left").containsExactly(json);
        }
        return ResultsFiles.json().readTree(json.toFile());
    }

    private static void fields(JsonNode n, String... names) {
        for (String name : names) {
            assertThat(n.has(name)).as("field %s in %s", name, n).isTrue();
        }
    }

    @Test
    void aPassingRunHasEveryField() throws IOException {
        JsonNode r = run("300ms");
        fields(r, "schema", "verdict", "interrupted", "started", "environment", "config", "intervals", "summary",
                "reasons", "failures", "replay", "abandoned");
        assertThat(r.get("schema").asText()).isEqualTo(Schema.TORTURE.id());
        assertThat(r.get("verdict").asText()).isEqualTo("SUCCESS");
        assertThat(r.get("interrupted").isBoolean()).isTrue();
        fields(r.get("environment"), "date", "kmapStress", "commit", "command", "jdk", "os", "cpuModel",
                "availableProcessors", "maxHeapMiB", "loadAverage");
        fields(r.get("environment").get("loadAverage"), "start", "end");
        assertThat(r.get("environment").get("command").asText()).startsWith("./kmap-stress torture --duration 300ms");
        assertThat(r.get("environment").get("availableProcessors").isInt()).isTrue();
        fields(r.get("config"), "profile", "cpus", "highmem-pages", "last-pkmap", "lock", "wait-strategy", "fault",
                "duration", "workload", "hold", "long-hold", "stutter", "irq", "tasks-per-cpu", "seed",
                "stat-interval", "watchdog");
        assertThat(r.get("config").get("seed").asLong()).isEqualTo(9);
        assertThat(r.get("intervals").size()).isGreaterThanOrEqualTo(2);
        JsonNode interval = r.get("intervals").get(0);
        fields(interval, "seconds", "ops");
        JsonNode op = interval.get("ops").get(0);
        fields(op, "op", "total", "max", "min", "fail", "perCpu", "latency");
        assertThat(op.get("perCpu").size()).isEqualTo(2);
        fields(op.get("latency"), "count", "p50", "p90", "p99", "p999", "max", "mean");
        JsonNode summary = r.get("summary");
        fields(summary, "seconds", "mapsPerSecond", "fairness", "ops", "machine", "harness", "reports");
        assertThat(summary.get("mapsPerSecond").isNumber()).isTrue();
        fields(summary.get("machine"), "kmap", "sleep", "wakeup", "flush_all_zero", "tlb_flush", "ipi_sent", "ipi_acked");
        fields(summary.get("harness"), "rounds", "words_verified", "context_switches", "interrupts", "long_holds",
                "stutter_pauses");
        assertThat(r.get("reasons").isArray()).isTrue();
        assertThat(r.get("failures").size()).isZero();
        assertThat(r.get("replay").asText()).startsWith("./kmap-stress torture ").contains("--seed 9");
    }

    @Test
    void numbersInTheConfigurationAreNumbers() throws IOException {
        JsonNode config = run("300ms").get("config");
        for (String key : List.of("cpus", "highmem-pages", "last-pkmap", "seed", "tasks-per-cpu", "hold",
                "lockup-timeout-ms", "hung-task-timeout-ms")) {
            assertThat(config.get(key).isNumber()).as("config.%s = %s is a number", key, config.get(key)).isTrue();
        }
        assertThat(config.get("lockdep").isBoolean()).isTrue();
        assertThat(config.get("lockup-proof").isBoolean()).isTrue();
        assertThat(config.get("lock").isTextual()).isTrue();
    }

    @Test
    void aFailingRunHasItsFailuresAndReasons() throws IOException {
        JsonNode r = run("10s", "--fault", "NO_TLB_FLUSH");
        assertThat(r.get("verdict").asText()).isEqualTo("FAILURE");
        assertThat(r.get("reasons").get(0).asText()).contains("kmap-stress: data mismatch");
        JsonNode f = r.get("failures").get(0);
        fields(f, "atNanos", "kind", "cpu", "lines", "stuckNanos", "state");
        assertThat(f.get("kind").asText()).isEqualTo("DATA_MISMATCH");
        assertThat(f.get("lines").get(0).asText()).startsWith("kmap-stress: data mismatch on CPU#");
        assertThat(r.get("summary").get("reports").get("DATA_MISMATCH").asLong()).isPositive();
    }

    @Test
    void aResultsFileReadsBackAsTheRecordsItWasWrittenFrom() throws IOException {
        run("300ms");
        ResultsFiles.Read read = ResultsFiles.read(dir.resolve("r.json"));

        assertThat(read).isInstanceOf(TortureFile.class);
        TortureFile file = (TortureFile) read;
        TortureResult result = file.run();
        assertThat(result.success()).isTrue();
        assertThat(result.config()).containsEntry("seed", 9);
        assertThat(result.summary().op("kmap").total()).isPositive();
        assertThat(result.intervals()).isNotEmpty();
        assertThat(file.environment().availableProcessors()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void aFileOfAnotherSchemaIsRefusedByName() throws IOException {
        Path other = Files.writeString(dir.resolve("x.json"), "{\"schema\": \"mine/1\"}");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ResultsFiles.read(other))
                .hasMessage(other + ": not a torture or compare results file: expected 'schema'"
                        + " kmap-stress-torture/1 or kmap-stress-compare/2 or kmap-stress-compare/1, found 'mine/1'");
    }
}
