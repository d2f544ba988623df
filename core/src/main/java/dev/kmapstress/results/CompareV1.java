package dev.kmapstress.results;

import dev.kmapstress.compare.CompareResult;
import dev.kmapstress.compare.MedianInterval;
import dev.kmapstress.compare.RankedRow;
import dev.kmapstress.compare.Ranking;
import dev.kmapstress.compare.Round;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A version-1 comparison file ({@code kmap-stress-compare/1}): one run per lock and wait
 * strategy, ranked 1..N by throughput alone. {@code report} still reads them, as comparisons
 * of one round each, and the file's {@code config} says {@code rounds: 1}: every interval is a
 * single point, so no row is ranked (one run cannot tell a lock from the noise).
 */
record CompareV1(String started, boolean interrupted, Map<String, Object> config, List<Row> rows,
        List<String> charts) {

    /** A version-1 row. */
    record Row(String lock, String waitStrategy, double mapsPerSecond, String latencyOp, long p50, long p99,
            long p999, double fairness, long waits, String verdict, String reason) {
    }

    /** The same comparison in the current shape. */
    static CompareResult upgrade(CompareV1 v1) {
        Map<String, Object> config = new LinkedHashMap<>(v1.config());
        config.put("rounds", 1);
        String workload = String.valueOf(config.get("workload"));
        int cpus = config.get("cpus") instanceof Number n ? n.intValue() : 0;
        List<RankedRow> rows = new ArrayList<>();
        int order = 0;
        for (Row r : v1.rows()) {
            Round round = new Round(++order, 1, 0, r.mapsPerSecond(), r.p50(), r.p99(), r.p999(), r.fairness(),
                    r.waits(), r.verdict(), r.reason() == null ? "" : r.reason(), "", false);
            rows.add(new RankedRow(r.lock(), r.waitStrategy(), workload, cpus, r.verdict(),
                    point(r.mapsPerSecond()), point(r.p99()), null, RankedRow.UNRANKED, List.of(round), r.latencyOp(),
                    r.reason() == null ? "" : r.reason(), "", false));
        }
        return CompareResult.of(v1.started(), v1.interrupted(), config, Ranking.of(rows), List.of(), 0)
                .withCharts(v1.charts() == null ? List.of() : v1.charts());
    }

    private static MedianInterval point(double v) {
        return new MedianInterval(v, v, v);
    }
}
