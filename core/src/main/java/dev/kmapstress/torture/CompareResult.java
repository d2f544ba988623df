package dev.kmapstress.torture;

import java.util.List;
import java.util.Map;

/**
 * A comparison's results file (schema {@value #SCHEMA}): the rows sorted by throughput, the
 * settings every run shared, the environment, the chart files, and each run's full torture
 * result.
 */
public record CompareResult(String schema, String started, boolean interrupted,
        Map<String, Object> environment, Map<String, Object> config, List<CompareRow> rows,
        List<String> charts, List<TortureResult> runs) {

    public static final String SCHEMA = "kmap-stress-compare/1";

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
        return new CompareResult(schema, started, interrupted, environment, config, rows, files, runs);
    }
}
