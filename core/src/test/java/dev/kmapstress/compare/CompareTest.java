package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmapstress.results.CompareFile;
import dev.kmapstress.results.ResultsFiles;
import dev.kmapstress.results.Schema;
import dev.kmapstress.torture.TestRuns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} on the command line: rounds ranked with intervals into a
 * {@code kmap-stress-compare/2} file with charts; shards that merge into the whole; an
 * interrupted run that keeps its rounds; version-1 files still read.
 */
@Timeout(300)
class CompareTest {

    /** 6 rounds: the fewest that rank (fewer are measured but not ranked). */
    private static final String[] QUICK = {"--wait-strategies", "kernel", "--rounds", "6", "--duration", "150ms",
        "--warmup", "100ms", "--cpus", "2", "--seed", "4"};

    @TempDir
    Path dir;

    private static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("compare"));
        a.addAll(List.of(QUICK));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static Path json(Path dir) throws IOException {
        return files(dir).stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
    }

    @Test
    void ranksRoundsIntoTheVersion2FileWithChartsPerWorkloadAndCpus() throws IOException {
        TestRuns.Cli r = TestRuns.cli(args("--locks", "ticket,tas,mcs", "--workload", "hit", "--out", dir.toString()));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("workload hit, 2 CPUs (median of 6 rounds [96.9 % interval])", "rank", "maps/s",
                "kmap p99 ns", "split-half", "best lock/wait per workload x CPUs", "load average");
        assertThat(files(dir)).hasSize(3).noneMatch(p -> p.toString().endsWith(".tmp"));
        JsonNode root = ResultsFiles.json().readTree(json(dir).toFile());
        assertThat(root.get("schema").asText()).isEqualTo("kmap-stress-compare/2").isEqualTo(Schema.COMPARE.id());
        assertThat(root.get("interrupted").asBoolean()).isFalse();
        JsonNode env = root.get("environment");
        assertThat(env.get("loadAverage").has("start")).isTrue();
        assertThat(env.get("loadAverage").has("end")).isTrue();
        assertThat(env.get("availableProcessors").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(env.has("commit")).isTrue();
        assertThat(root.get("reproducibility").has("splitHalfSpearman")).isTrue();
        assertThat(root.get("config").get("rounds").asInt()).isEqualTo(6);
        JsonNode rows = root.get("rows");
        assertThat(rows.size()).isEqualTo(3);
        for (JsonNode row : rows) {
            for (String f : List.of("lock", "waitStrategy", "workload", "cpus", "verdict", "mapsPerSecond", "p99",
                    "rank", "rounds")) {
                assertThat(row.has(f)).as(f).isTrue();
            }
            for (String f : List.of("median", "low", "high")) {
                assertThat(row.get("mapsPerSecond").has(f)).as(f).isTrue();
                assertThat(row.get("p99").has(f)).as(f).isTrue();
            }
            assertThat(row.get("rank").asText()).matches("\\d+(-\\d+)?");
            assertThat(row.get("rounds").size()).isEqualTo(6);
            assertThat(row.get("workload").asText()).isEqualTo("hit");
            assertThat(row.get("verdict").asText()).isEqualTo("SUCCESS");
        }
        assertThat(root.get("charts")).hasSize(2);
        for (JsonNode chart : root.get("charts")) {
            assertThat(chart.asText()).contains("-hit-2cpu-");
            assertThat(Files.readAllBytes(dir.resolve(chart.asText()))).startsWith(0x89, 'P', 'N', 'G');
        }
        CompareFile back = (CompareFile) ResultsFiles.read(json(dir));
        assertThat(back.comparison().rows()).hasSize(3);
        assertThat(back.environment().availableProcessors()).isPositive();
    }

    @Test
    void shardsOneAndTwoOfTwoMergeIntoTheWholeRunsConfigurations() throws IOException {
        String[] common = {"--locks", "ticket,tas", "--workload", "hit,persistent"};
        Path one = Files.createDirectory(dir.resolve("one"));
        Path two = Files.createDirectory(dir.resolve("two"));
        Path merged = dir.resolve("merged");
        assertThat(TestRuns.cli(args(concat(common, "--shard", "1/2", "--out", one.toString()))).exit()).isZero();
        assertThat(TestRuns.cli(args(concat(common, "--shard", "2/2", "--out", two.toString()))).exit()).isZero();
        TestRuns.Cli m = TestRuns.cli("compare", "--merge", json(one).toString(), json(two).toString(), "--out",
                merged.toString());
        assertThat(m.exit()).as(m.out() + m.err()).isZero();
        // What the unsharded run would measure: every lock x workload at 2 CPUs.
        assertThat(configurations(json(merged))).containsExactlyInAnyOrder("ticket/kernel hit 2", "tas/kernel hit 2",
                "ticket/kernel persistent 2", "tas/kernel persistent 2");
        // Each shard ran one whole workload group.
        assertThat(configurations(json(one))).allMatch(c -> c.endsWith(" hit 2"));
        assertThat(configurations(json(two))).allMatch(c -> c.endsWith(" persistent 2"));
        CompareFile back = (CompareFile) ResultsFiles.read(json(merged));
        assertThat(back.comparison().groups()).hasSize(2);
        assertThat(back.comparison().config().get("shard")).isEqualTo("merged 2 of 2");
        assertThat(files(merged)).filteredOn(p -> p.toString().endsWith(".png")).hasSize(4);
    }

    @Test
    void aShardMissingOrGivenTwiceIsSaid() throws IOException {
        Path one = Files.createDirectory(dir.resolve("one"));
        assertThat(TestRuns.cli(args("--locks", "ticket", "--workload", "hit,persistent", "--shard", "1/2", "--out",
                one.toString())).exit()).isZero();
        TestRuns.Cli twice = TestRuns.cli("compare", "--merge", json(one).toString(), json(one).toString(), "--out",
                dir.resolve("m").toString());
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).contains("given twice");
        TestRuns.Cli alone = TestRuns.cli("compare", "--merge", json(one).toString(), "--out", dir.resolve("m").toString());
        assertThat(alone.exit()).isZero();
        assertThat(alone.out()).contains("shard 2/2 is missing");
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** {@code lock/wait workload cpus} of every row. */
    private static Set<String> configurations(Path json) {
        CompareFile f = (CompareFile) ResultsFiles.read(json);
        return f.comparison().rows().stream().map(r -> r.label() + " " + r.workload() + " " + r.cpus())
                .collect(Collectors.toSet());
    }

    @Test
    void anInterruptedComparisonWritesItsFinishedRoundsMarksTheCutRowAndExits130() throws Exception {
        AtomicReference<TestRuns.Cli> result = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(TestRuns.cli("compare", "--locks", "ticket,tas", "--wait-strategies",
                "kernel", "--workload", "hit", "--cpus", "2", "--rounds", "40", "--duration", "200ms", "--warmup",
                "100ms", "--seed", "5", "--out", dir.toString())));
        t.start();
        // Both warm-ups and two rounds take well over a second; then Ctrl-C (an interrupt).
        Thread.sleep(6_000);
        t.interrupt();
        t.join();
        TestRuns.Cli r = result.get();
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(130);
        assertThat(r.out()).contains("INTERRUPTED");
        JsonNode root = ResultsFiles.json().readTree(json(dir).toFile());
        assertThat(root.get("interrupted").asBoolean()).isTrue();
        int cut = 0;
        for (JsonNode row : root.get("rows")) {
            assertThat(row.get("rounds").size()).isLessThan(40);
            cut += row.get("cut").asBoolean() ? 1 : 0;
        }
        assertThat(cut).isEqualTo(1);
    }

    /**
     * SIGTERM (what Ctrl-C does too) in a JVM of its own: its shutdown hook interrupts the
     * comparison, which writes the rounds so far, charts included, while the JVM shuts down.
     */
    @Test
    void aSigtermWritesTheRoundsSoFarWithTheirChartsAndExits130() throws Exception {
        List<String> command = new ArrayList<>(Fork.java("dev.kmapstress.cli.Main"));
        command.addAll(List.of("compare", "--locks", "ticket,tas", "--wait-strategies", "kernel", "--workload", "hit",
                "--cpus", "1", "--rounds", "40", "--duration", "200ms", "--warmup", "100ms", "--seed", "5", "--out",
                dir.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        // A comparison that hangs must fail this test, not stall the build: killing it ends the read.
        java.util.concurrent.CompletableFuture.delayedExecutor(3, java.util.concurrent.TimeUnit.MINUTES)
                .execute(p::destroyForcibly);
        StringBuilder out = new StringBuilder();
        boolean sent = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                out.append(l).append('\n');
                if (!sent && l.contains(" round 2,")) {
                    p.toHandle().destroy(); // SIGTERM; Process.destroy would also close its output
                    sent = true;
                }
            }
        }
        assertThat(p.waitFor()).as(out.toString()).isEqualTo(130);
        assertThat(out).contains("results: ", "INTERRUPTED").doesNotContain("Exception");
        CompareFile f = (CompareFile) ResultsFiles.read(json(dir));
        assertThat(f.comparison().interrupted()).isTrue();
        assertThat(f.comparison().rows()).isNotEmpty();
        assertThat(f.comparison().charts()).hasSize(2).allSatisfy(c -> assertThat(dir.resolve(c)).isRegularFile());
    }

    @Test
    void aVersion1FileReadsAsOneRoundPerConfigurationUnranked() {
        Path v1 = Path.of("..", "results", "torture").toAbsolutePath().normalize();
        try (Stream<Path> s = Files.list(v1)) {
            Path file = s.filter(p -> p.getFileName().toString().startsWith("compare-") && p.toString().endsWith(".json"))
                    .sorted().findFirst().orElseThrow();
            CompareFile f = (CompareFile) ResultsFiles.read(file);
            assertThat(f.comparison().rows()).isNotEmpty().allMatch(row -> row.rounds().size() == 1);
            assertThat(f.comparison().config().get("rounds")).isEqualTo(1);
            // One run each: no interval, so no rank and no best lock.
            assertThat(f.comparison().rows()).allMatch(row -> row.rank().equals(RankedRow.UNRANKED));
            assertThat(f.comparison().groups()).allMatch(g -> g.best().isEmpty());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
