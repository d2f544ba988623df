package dev.kmapstress.compare;

import dev.kmapstress.torture.TortureResult;
import java.util.List;
import java.util.Map;

/**
 * What a comparison found (its results file adds the environment: see
 * {@code dev.kmapstress.results.CompareFile}): the rows sorted by throughput, the settings every
 * run shared, the chart files, and each run's full torture result.
 */
public record CompareResult(String started, boolean interrupted, Map<String, Object> config,
        List<CompareRow> rows, List<String> charts, List<TortureResult> runs) {

    public CompareResult {
        rows = List.copyOf(rows);
        charts = List.copyOf(charts);
        runs = List.copyOf(runs);
    }

    /** Whether every run ended in SUCCESS. */
    public boolean success() {
        return rows.stream().allMatch(r -> TortureResult.SUCCESS.equals(r.verdict()));
    }

    /** The same comparison naming its chart files. */
    public CompareResult withCharts(List<String> files) {
        return new CompareResult(started, interrupted, config, rows, files, runs);
    }
}
