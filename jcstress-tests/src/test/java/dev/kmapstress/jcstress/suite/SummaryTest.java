package dev.kmapstress.jcstress.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary's wall time: the sum of the run's JCStress runs, each named when there were several. */
class SummaryTest {

    @TempDir
    Path dir;

    @Test
    void aRunWithTopUpsGivesItsTotalAndEachPassInTurn() throws Exception {
        String md = written(List.of(Duration.ofMillis(931_400), Duration.ofSeconds(23), Duration.ofSeconds(130)));
        assertTrue(md.contains("- Wall time: 1084 s (each JCStress run in turn: 931 s, 23 s, 130 s)\n"), md);
    }

    @Test
    void aRunOfOnePassGivesItsTimeAlone() throws Exception {
        String md = written(List.of(Duration.ofSeconds(135)));
        assertTrue(md.contains("- Wall time: 135 s\n"), md);
    }

    private String written(List<Duration> passTimes) throws Exception {
        Path file = dir.resolve("SUMMARY.md");
        new Summary(Suite.Kind.FULL, "-iters 4", "java ... Suite full", passTimes, "0.5 when JCStress started",
                List.of(), "a test machine").write(file);
        return Files.readString(file);
    }
}
