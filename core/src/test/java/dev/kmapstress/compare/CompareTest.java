package dev.kmapstress.compare;

import dev.kmapstress.results.ResultsFiles;
import dev.kmapstress.results.Schema;
import dev.kmapstress.torture.TestRuns;

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

/** {@code compare}: a table fastest first, a results file and its charts, all written atomically. */
@Timeout(120)
class CompareTest {

    @TempDir
    Path dir;

    @Test
    void comparesLocksAndWritesTableJsonAndCharts() throws IOException {
        TestRuns.Cli r = TestRuns.cli("compare", "--locks", "ticket,reentrant", "--wait-strategies", "kernel", "--duration", "300ms",
                "--warmup", "0", "--cpus", "2", "--seed", "4", "--out", dir.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("[1/2] ticket/kernel", "[2/2] reentrant/kernel", "rank", "maps/s",
                "kmap p50", "p99.9", "max/min", "waits", "verdict");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertThat(files).hasSize(3).noneMatch(p -> p.toString().endsWith(".tmp"));
        Path json = files.stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        JsonNode root = ResultsFiles.json().readTree(json.toFile());
        assertThat(root.get("schema").asText()).isEqualTo(Schema.COMPARE.id());
        JsonNode rows = root.get("rows");
        assertThat(rows.size()).isEqualTo(2);
        assertThat(rows.get(0).get("mapsPerSecond").asDouble()).isGreaterThanOrEqualTo(rows.get(1).get("mapsPerSecond").asDouble());
        for (JsonNode row : rows) {
            for (String f : List.of("lock", "waitStrategy", "mapsPerSecond", "latencyOp", "p50", "p99", "p999",
                    "fairness", "waits", "verdict", "reason")) {
                assertThat(row.has(f)).as(f).isTrue();
            }
            assertThat(row.get("verdict").asText()).isEqualTo("SUCCESS");
        }
        assertThat(root.get("runs").size()).isEqualTo(2);
        assertThat(root.get("runs").get(0).get("verdict").asText()).isEqualTo("SUCCESS");
        assertThat(root.get("config").get("profile").asText()).isEqualTo("x86-pae");
        for (JsonNode chart : root.get("charts")) {
            Path p = dir.resolve(chart.asText());
            assertThat(p).exists();
            byte[] head = Files.readAllBytes(p);
            assertThat(head).startsWith(0x89, 'P', 'N', 'G');
        }
    }

    @Test
    void theTableIsSortedByThroughput() {
        List<CompareRow> rows = new java.util.ArrayList<>(List.of(
                new CompareRow("a", "kernel", 10, "kmap", 1, 2, 3, 1.0, 0, "SUCCESS", ""),
                new CompareRow("b", "kernel", 30, "kmap", 1, 2, 3, 1.0, 0, "FAILURE", "x")));
        List<String> t = CompareTable.text(rows);
        assertThat(t.get(1)).contains("a/kernel");
        rows.sort(java.util.Comparator.comparingDouble(CompareRow::mapsPerSecond).reversed());
        assertThat(CompareTable.text(rows).get(1)).contains("b/kernel", "FAILURE");
    }
}
