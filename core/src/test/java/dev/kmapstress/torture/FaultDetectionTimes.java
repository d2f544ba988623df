package dev.kmapstress.torture;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.results.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Not a test (its name keeps it out of the default run): measures what {@link FaultDetectionTest}'s
 * bounds stand on. For each fault and broken lock the test runs in every build (with
 * {@code -Dkmapstress.soak=true}, the soak-only ones too) and each seed, one line: the time from
 * the run's start to its first report, to its end, the load, and whether the test would accept
 * that report. Run it with
 * {@code mvn -B -o -pl core test -Dtest=FaultDetectionTimes -Dtimes.seeds=1,2,3 -Dtimes.out=FILE}.
 */
class FaultDetectionTimes {

    @Test
    @Timeout(3600)
    void measure() throws IOException {
        long[] seeds = Arrays.stream(System.getProperty("times.seeds", "1,2,3").split(",")).mapToLong(Long::parseLong)
                .toArray();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "# FaultDetectionTest's runs with --seed changed; JDK %s, %d CPUs",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
        lines.add("# run                           seed  first report (s)  run ended (s)   load  expected  first report");
        Stream<String> runs = Stream.concat(FaultDetectionTest.searchedFaults().map(Fault::name),
                FaultDetectionTest.searchedBrokenLocks().map(l -> "lock " + l));
        for (String run : runs.toList()) {
            for (long seed : seeds) {
                TortureConfig.Builder b = run.startsWith("lock ")
                        ? FaultDetectionTest.runOn(FaultDetectionTest.Kind.PERSISTENT).lock(run.substring(5))
                        : FaultDetectionTest.runFor(Fault.valueOf(run));
                String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
                long start = System.nanoTime();
                TortureResult r = TestRuns.run(b.seed(seed).build()).result();
                double ended = (System.nanoTime() - start) / 1e9;
                String first = r.failures().isEmpty() ? "none" : String.format(Locale.ROOT, "%.3f",
                        r.failures().get(0).atNanos() / 1e9);
                String line = String.format(Locale.ROOT, "%-30s %5d  %16s  %13.2f  %5s  %-8s  %s", run, seed, first,
                        ended, load, r.failures().isEmpty() ? "-" : FaultDetectionTest.expected(run,
                                r.failures().get(0)) ? "yes" : "NO", r.failures().isEmpty() ? "-"
                                : r.failures().get(0).headline());
                System.out.println(line);
                lines.add(line);
            }
        }
        AtomicFiles.writeString(Path.of(System.getProperty("times.out", "target/fault-detection-times.txt")),
                String.join("\n", lines) + "\n");
    }
}
