package dev.kmapstress.compare;

import java.util.List;
import java.util.Map;

/**
 * What a comparison found (its results file, schema {@code kmap-stress-compare/2}, adds the
 * environment: see {@code dev.kmapstress.results.CompareFile}): every configuration's row with
 * its rounds, ranked within its workload x CPUs; the split-half check; what the host did to the
 * figures; the settings every run shared.
 *
 * @param interrupted     whether Ctrl-C or SIGTERM cut it short (the rows hold the rounds
 *                        finished; the cut row is marked)
 * @param config          the settings every run shared, with the comparison's own (rounds,
 *                        total, schedule seed, shard, interval)
 * @param reproducibility the split-half rank correlation, overall (the lowest group's) and per group
 * @param hostWarnings    what the host check found (more CPUs than processors, a load above them); empty if nothing
 * @param skipped         runs left out because the total time was spent
 * @param charts          the chart files beside the results file
 */
public record CompareResult(String started, boolean interrupted, Map<String, Object> config, List<RankedRow> rows,
        Reproducibility reproducibility, List<String> hostWarnings, int skipped, List<String> charts) {

    /**
     * The split-half check.
     *
     * @param splitHalfSpearman the lowest group's (null if no group could be checked)
     */
    public record Reproducibility(Double splitHalfSpearman, List<GroupCheck> groups) {

        public Reproducibility {
            groups = List.copyOf(groups);
        }
    }

    /** One group's split-half rank correlation (null if it could not be computed). */
    public record GroupCheck(String workload, int cpus, Double splitHalfSpearman) {
    }

    public CompareResult {
        rows = List.copyOf(rows);
        hostWarnings = List.copyOf(hostWarnings);
        charts = List.copyOf(charts);
    }

    /** The comparison of ranked {@code groups}. */
    public static CompareResult of(String started, boolean interrupted, Map<String, Object> config,
            List<Ranking.Group> groups, List<String> hostWarnings, int skipped) {
        return new CompareResult(started, interrupted, config, Ranking.rows(groups),
                new Reproducibility(Ranking.splitHalf(groups), groups.stream()
                        .map(g -> new GroupCheck(g.workload(), g.cpus(), g.splitHalfSpearman())).toList()),
                hostWarnings, skipped, List.of());
    }

    /** The rows in their groups, as ranked. */
    public List<Ranking.Group> groups() {
        return Ranking.of(rows);
    }

    /** Whether every configuration passed. */
    public boolean success() {
        return rows.stream().allMatch(RankedRow::success);
    }

    /** The same comparison naming its chart files. */
    public CompareResult withCharts(List<String> files) {
        return new CompareResult(started, interrupted, config, rows, reproducibility, hostWarnings, skipped, files);
    }
}
