package dev.kmapstress.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.report.Comparison.Row;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {

    @TempDir
    Path dir;

    @Test
    void overlappingIntervalsAreNoSignificantChange() throws IOException {
        JmhRun old = new JmhJson().add("KmapHigh.hitRoundTrip", 1, 10, 1, "lock", "ticket").run(dir, "old.json");
        JmhRun neu = new JmhJson().add("KmapHigh.hitRoundTrip", 1, 11.5, 0.6, "lock", "ticket").run(dir, "new.json");

        List<Row> rows = Comparison.compare(old, neu);

        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.verdict()).isEqualTo("no significant change");
            assertThat(r.ratio().value()).isEqualTo(1.15);
        });
    }

    @Test
    void separatedIntervalsAreFasterOrSlowerByMode() throws IOException {
        JmhRun old = new JmhJson()
                .add("KmapHigh.hitRoundTrip", 1, 10, 1, "lock", "ticket")
                .add("KmapHigh.hitRoundTrip", 2, 10, 1, "lock", "ticket")
                .addMode("KmapHigh.hitRoundTrip", "avgt", "us/op", 1, 0.1, 0.01, "lock", "ticket")
                .run(dir, "old.json");
        JmhRun neu = new JmhJson()
                .add("KmapHigh.hitRoundTrip", 1, 13, 1, "lock", "ticket")
                .add("KmapHigh.hitRoundTrip", 2, 7, 1, "lock", "ticket")
                .addMode("KmapHigh.hitRoundTrip", "avgt", "us/op", 1, 0.2, 0.01, "lock", "ticket")
                .run(dir, "new.json");

        assertThat(Comparison.compare(old, neu)).extracting(Row::verdict)
                .containsExactly("faster", "slower", "slower");
    }

    @Test
    void configurationsInOneFileOnlyAreListedAsSuch() throws IOException {
        JmhRun old = new JmhJson()
                .add("KmapHigh.hitRoundTrip", 1, 10, 1, "lock", "ticket")
                .add("KmapHigh.hitRoundTrip", 1, 10, 1, "lock", "tas")
                .run(dir, "old.json");
        JmhRun neu = new JmhJson()
                .add("KmapHigh.hitRoundTrip", 1, 10, 1, "lock", "ticket")
                .add("KmapHigh.hitRoundTrip", 1, 10, 1, "lock", "mylock")
                .run(dir, "new.json");

        List<Row> rows = Comparison.compare(old, neu);

        assertThat(rows).extracting(Row::verdict)
                .containsExactly("no significant change", "only in OLD", "only in NEW");
        assertThat(rows.get(2).key()).contains("lock=mylock");
        String table = Comparison.render(old, neu, rows);
        assertThat(table).contains("| KmapHigh.hitRoundTrip | thrpt | 1 | lock=mylock | - | 10 ± 1 | ops/us | - | only in NEW |")
                .endsWith("0 faster, 0 slower, 1 with no significant change (99.9 % intervals overlap), 2 in one file only\n");
    }

    @Test
    void bytesPerOperationThatCameOrWentAreNamed() throws IOException {
        JmhRun old = new JmhJson()
                .add("Flusher.flusherVsMappers", 2, 1.0, 0.2, "lock", "ticket").alloc(24)
                .add("Flusher.flusherVsMappers", 2, 1.0, 0.2, "lock", "tas").alloc(0.01)
                .add("Flusher.flusherVsMappers", 2, 1.0, 0.2, "lock", "mcs").alloc(0.01)
                .add("Flusher.flusherVsMappers", 2, 1.0, 0.2, "lock", "clh")
                .run(dir, "old.json");
        JmhRun neu = new JmhJson()
                .add("Flusher.flusherVsMappers", 2, 1.1, 0.2, "lock", "ticket").alloc(0.02)
                .add("Flusher.flusherVsMappers", 2, 1.1, 0.2, "lock", "tas").alloc(0.5)
                .add("Flusher.flusherVsMappers", 2, 1.1, 0.2, "lock", "mcs").alloc(16)
                .add("Flusher.flusherVsMappers", 2, 1.1, 0.2, "lock", "clh").alloc(16)
                .run(dir, "new.json");

        List<Row> rows = Comparison.compare(old, neu);

        assertThat(rows).extracting(Row::allocation)
                .containsExactly("24 → 0.02: allocates less", "0.01 → 0.5", "0.01 → 16: allocates more", "-");
        assertThat(Comparison.render(old, neu, rows))
                .contains("| no significant change | 0.01 → 16: allocates more |")
                .endsWith("in one file only; 1 allocates more than before\n");
    }
}
