package dev.kmapstress.torture;

import dev.kmapstress.results.ResultsFiles;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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

/** The torture and compare commands: help, bad input (exit 2, one line, nothing written), exit codes. */
class TortureCliTest {

    @TempDir
    Path dir;

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(List.of("--lock", "nope"), List.of("--lock nope", "unknown lock strategy", "ticket")),
                Arguments.of(List.of("--wait-strategy", "nope"), List.of("--wait-strategy nope", "kernel")),
                Arguments.of(List.of("--profile", "nope"), List.of("--profile nope", "x86-pae", "arm-like")),
                Arguments.of(List.of("--workload", "nope"), List.of("--workload nope", "persistent", "mixed")),
                Arguments.of(List.of("--workload", "mixed:persistent=x"), List.of("weight 'x'")),
                Arguments.of(List.of("--fault", "NOPE"), List.of("--fault NOPE", "NO_TLB_FLUSH")),
                Arguments.of(List.of("--cpus", "33"), List.of("--cpus 33", "1..32", "x86-pae")),
                Arguments.of(List.of("--profile", "arm-like", "--cpus", "17"), List.of("--cpus 17", "1..16")),
                Arguments.of(List.of("--cpus", "two"), List.of("--cpus two", "whole number")),
                Arguments.of(List.of("--duration", "0s"), List.of("--duration 0s", "greater than 0")),
                Arguments.of(List.of("--duration", "-1s"), List.of("--duration -1s", "greater than 0")),
                Arguments.of(List.of("--duration", "soon"), List.of("--duration soon", "30s")),
                Arguments.of(List.of("--duration", "99999999999h"), List.of("--duration 99999999999h", "at most 8760h")),
                Arguments.of(List.of("--stat-interval", "0"), List.of("--stat-interval 0")),
                Arguments.of(List.of("--watchdog", "0ms"), List.of("--watchdog 0ms")),
                Arguments.of(List.of("--long-hold", "5s"), List.of("--long-hold 5s", "quarter of --watchdog")),
                Arguments.of(List.of("--watchdog", "1ms"), List.of("--watchdog 1ms: must be at least 40ms, four times"
                        + " --long-hold (10ms)")),
                Arguments.of(List.of("--watchdog", "1ms", "--long-hold", "1ms"), List.of("--long-hold 1ms: must be"
                        + " from 0 to a quarter of --watchdog (0.25ms)")),
                Arguments.of(List.of("--hold", "2"), List.of("--hold 2", "probability")),
                Arguments.of(List.of("--tasks-per-cpu", "0"), List.of("--tasks-per-cpu 0", "1..64")),
                Arguments.of(List.of("--last-pkmap", "3"), List.of("--last-pkmap 3", "power of two")),
                Arguments.of(List.of("--highmem-pages", "0"), List.of("--highmem-pages 0", "at least 1")),
                Arguments.of(List.of("--stutter", "0s/1ms"), List.of("--stutter 0s")),
                Arguments.of(List.of("--set", "hypervisor=true"), List.of("--set hypervisor=true",
                        "has an option of its own here; use --hypervisor")),
                Arguments.of(List.of("--set", "lockup-timeout-ms=100"), List.of("--set lockup-timeout-ms=100",
                        "is set by --watchdog here; use --watchdog")),
                Arguments.of(List.of("--set", "hung-task-timeout-ms=100"), List.of("--set hung-task-timeout-ms=100",
                        "is set by --watchdog here; use --watchdog")),
                Arguments.of(List.of("--profile", "arm-like", "--fault", "IRQ_OFF_SPIN_WITH_IPI_FLUSH"),
                        List.of("--fault IRQ_OFF_SPIN_WITH_IPI_FLUSH", "arm-like")),
                Arguments.of(List.of("--boot", "/nonexistent/boot.log"), List.of("--boot /nonexistent/boot.log",
                        "cannot read")),
                Arguments.of(List.of("--boot", "src/test/resources/torture/bad-e820.txt"),
                        List.of("--boot src/test/resources/torture/bad-e820.txt", "e820 line 2")),
                Arguments.of(List.of("--boot", "../examples/boot/pae-m2048.log", "--profile", "x86-4g"),
                        List.of("--profile x86-4g: the log ../examples/boot/pae-m2048.log is of an x86-pae kernel",
                                "leave --profile out or give x86-pae")),
                Arguments.of(List.of("--boot", "src/test/resources/torture/bad-e820.txt", "--profile", "arm-like"),
                        List.of("--boot", "arm-like")));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void badTortureInputIsOneLineExit2AndNothingWritten(List<String> args, List<String> fragments) throws IOException {
        Path json = dir.resolve("r.json");
        List<String> all = new ArrayList<>(List.of("torture", "--json", json.toString()));
        all.addAll(args);
        if (!args.contains("--duration")) {
            all.addAll(List.of("--duration", "1s"));
        }
        TestRuns.Cli r = TestRuns.cli(all.toArray(String[]::new));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("torture: ");
        fragments.forEach(f -> assertThat(r.err()).contains(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aJsonTargetThatIsADirectoryIsBadInput() {
        TestRuns.Cli r = TestRuns.cli("torture", "--duration", "1s", "--json", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("is a directory");
    }

    static Stream<Arguments> badCompareInput() {
        return Stream.of(
                Arguments.of(List.of("--locks", "ticket,nope"), "--locks ticket,nope: unknown lock strategy 'nope'"),
                Arguments.of(List.of("--wait-strategies", "nope"), "--wait-strategies nope: unknown wait strategy"),
                Arguments.of(List.of("--duration", "1s", "--total", "1m"), "--duration 1s with --total 1m"),
                Arguments.of(List.of("--total", "99999999999h"), "at most 8760h"),
                Arguments.of(List.of("--total", "1m", "--warmup", "0"), "--warmup 0 with --total 1m: give one"),
                // 10 x (6 + 2) runs of at least 100 ms, measuring 85 % of their time: 9.4 s, so 10s; the
                // --total it names adds this JVM's age (here the test JVM's) and what is kept to write results.
                Arguments.of(List.of("--locks", "tas,ticket,mcs,ttas,clh", "--wait-strategies", "kernel,condition",
                        "--total", "5s"), "--total 5s: too short for 10 configurations' warm-ups and ranked rounds"
                        + " (their runs need at least 10s); give --total "),
                Arguments.of(List.of("--locks", "tas", "--wait-strategies", "kernel", "--total", "1s"), "--total 1s:"
                        + " too short for 1 configuration's warm-ups and ranked rounds (their runs need at least 1s)"),
                Arguments.of(List.of("--duration", "0"), "--duration 0"),
                Arguments.of(List.of("--warmup", "later"), "--warmup later"),
                Arguments.of(List.of("--warmup", "-1s"), "--warmup -1s: must be a duration of 0 or more"),
                Arguments.of(List.of("--set", "lock=tas", "--locks", "ticket", "--wait-strategies", "kernel",
                        "--rounds", "2", "--duration", "100ms"), "--set lock=tas: lock is set by --locks here"),
                // A value swept twice would give two rows of one label; the rest keeps the run short if accepted.
                Arguments.of(List.of("--locks", "tas,ticket,tas", "--wait-strategies", "kernel", "--rounds", "2",
                        "--duration", "100ms"), "--locks tas,ticket,tas: lock strategy 'tas' is given twice"),
                Arguments.of(List.of("--locks", "tas", "--wait-strategies", "kernel,kernel", "--rounds", "2",
                        "--duration", "100ms"), "--wait-strategies kernel,kernel: wait strategy 'kernel' is given twice"),
                Arguments.of(List.of("--locks", "tas", "--wait-strategies", "kernel", "--workload", "hit, hit",
                        "--rounds", "2", "--duration", "100ms"), "--workload hit, hit: workload 'hit' is given twice"),
                Arguments.of(List.of("--locks", "tas", "--wait-strategies", "kernel", "--cpus", "1,2,1",
                        "--rounds", "2", "--duration", "100ms"), "--cpus 1,2,1: CPU count '1' is given twice"));
    }

    @ParameterizedTest
    @MethodSource("badCompareInput")
    void badCompareInputIsOneLineExit2AndNothingWritten(List<String> args, String fragment) throws IOException {
        Path out = dir.resolve("out");
        List<String> all = new ArrayList<>(List.of("compare", "--out", out.toString()));
        all.addAll(args);
        TestRuns.Cli r = TestRuns.cli(all.toArray(String[]::new));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("compare: ").contains(fragment);
        assertThat(out).doesNotExist();
    }

    @Test
    void compareRefusesAnOutThatIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        TestRuns.Cli r = TestRuns.cli("compare", "--out", file.toString(), "--duration", "100ms");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("is a file");
    }

    @Test
    void helpShowsEveryOptionWithItsDefault() {
        TestRuns.Cli r = TestRuns.cli("torture", "--help");
        assertThat(r.exit()).isZero();
        for (String o : List.of("--cpus", "--duration", "--profile", "--highmem-pages", "--last-pkmap", "--lock",
                "--wait-strategy", "--workload", "--hold", "--long-hold", "--stutter", "--irq", "--tasks-per-cpu",
                "--seed", "--fault", "--stat-interval", "--watchdog", "--json", "--quiet")) {
            assertThat(r.out()).contains(o);
        }
        assertThat(r.out().replaceAll("\\s+", " ")).contains("default: 30s", "default: 5s", "default: x86-pae",
                "default: qspinlock");
    }

    @Test
    void aFaithfulRunExitsZeroAndWritesItsResults() throws IOException {
        Path json = dir.resolve("sub/run.json");
        TestRuns.Cli r = TestRuns.cli("torture", "--duration", "300ms", "--stat-interval", "100ms", "--cpus", "2",
                "--seed", "5", "--quiet", "--json", json.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("kmap-torture:--- Start of test:", "Total:", "Max/Min:", "Fail: 0",
                "--- Summary", "kmap-torture:--- End of test: SUCCESS", "results: " + json);
        JsonNode root = ResultsFiles.json().readTree(json.toFile());
        assertThat(root.get("verdict").asText()).isEqualTo("SUCCESS");
        try (Stream<Path> files = Files.list(json.getParent())) {
            assertThat(files).containsExactly(json);
        }
    }

    @Test
    void aFailedRunExitsOneWithTheReasonAndTheReplayCommand() {
        TestRuns.Cli r = TestRuns.cli("torture", "--duration", "10s", "--cpus", "2", "--seed", "5", "--quiet",
                "--watchdog", "2s", "--fault", "NO_TLB_FLUSH");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("kmap-stress: data mismatch", "--- Failures:",
                "replay: ./kmap-stress torture", "--seed 5", "--fault NO_TLB_FLUSH",
                "kmap-torture:--- End of test: FAILURE");
        assertThat(r.out().strip().lines().reduce((a, b) -> b).orElseThrow()).startsWith(
                "kmap-torture:--- End of test: FAILURE");
    }
}
