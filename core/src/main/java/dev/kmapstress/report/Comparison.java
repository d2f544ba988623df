package dev.kmapstress.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares two results files configuration by configuration (same benchmark, mode, threads
 * and parameters): the ratio NEW/OLD of the scores with its error, and a verdict that takes
 * the error into account: when the two confidence intervals overlap there is no significant
 * change; otherwise NEW is faster or slower (for throughput a larger score is faster, for
 * time per operation a smaller one). Where both files were run with {@code -prof gc}, the
 * bytes per operation are compared too: a change of at least
 * {@link Targets#ALLOCATION_FREE_BELOW} byte whose intervals do not overlap is an allocation
 * that came or went, the kind of regression a throughput figure hides.
 */
public final class Comparison {

    /** One configuration's comparison; {@code old} or {@code neu} is null when only one file has it. */
    public record Row(String key, JmhResult old, JmhResult neu, Ratio ratio, String verdict, String allocation) {
    }

    static final String NO_CHANGE = "no significant change";
    static final String ALLOCATES_MORE = "allocates more";
    static final String ALLOCATES_LESS = "allocates less";

    private Comparison() {
    }

    /** Every configuration of either file, OLD's order first, then those only NEW has. */
    public static List<Row> compare(JmhRun old, JmhRun neu) {
        Map<String, JmhResult> newByKey = new LinkedHashMap<>();
        neu.results().forEach(r -> newByKey.put(r.key(), r));
        List<Row> rows = new ArrayList<>();
        for (JmhResult o : old.results()) {
            JmhResult n = newByKey.remove(o.key());
            rows.add(n == null ? new Row(o.key(), o, null, null, "only in OLD", "-") : row(o, n));
        }
        newByKey.forEach((k, n) -> rows.add(new Row(k, null, n, null, "only in NEW", "-")));
        return rows;
    }

    private static Row row(JmhResult o, JmhResult n) {
        Ratio ratio = Ratio.of(n.primary(), o.primary());
        String verdict;
        if (o.primary().overlaps(n.primary())) {
            verdict = NO_CHANGE;
        } else {
            boolean larger = n.primary().score() > o.primary().score();
            verdict = larger == o.higherIsBetter() ? "faster" : "slower";
        }
        return new Row(o.key(), o, n, ratio, verdict, allocation(o.allocation(), n.allocation()));
    }

    /** {@code OLD → NEW} bytes per operation, with a verdict where they differ significantly. */
    static String allocation(Metric old, Metric neu) {
        if (old == null || neu == null) {
            return "-";
        }
        String change = Numbers.format(old.score()) + " → " + Numbers.format(neu.score());
        if (old.overlaps(neu) || Math.abs(neu.score() - old.score()) < Targets.ALLOCATION_FREE_BELOW) {
            return change;
        }
        return change + ": " + (neu.score() > old.score() ? ALLOCATES_MORE : ALLOCATES_LESS);
    }

    /** The comparison as a Markdown table with a one-line summary under it. */
    public static String render(JmhRun old, JmhRun neu, List<Row> rows) {
        StringBuilder md = new StringBuilder();
        md.append("OLD: ").append(old.source()).append("\nNEW: ").append(neu.source()).append("\n\n");
        md.append("| benchmark | mode | threads | params | OLD score ± error | NEW score ± error | unit"
                + " | NEW/OLD | verdict | B/op OLD → NEW |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        int faster = 0;
        int slower = 0;
        int same = 0;
        int allocating = 0;
        for (Row r : rows) {
            JmhResult any = r.old() != null ? r.old() : r.neu();
            md.append("| ").append(any.name()).append(" | ").append(any.mode()).append(" | ")
                    .append(any.threads()).append(" | ").append(any.paramsText()).append(" | ")
                    .append(r.old() == null ? "-" : r.old().primary().format()).append(" | ")
                    .append(r.neu() == null ? "-" : r.neu().primary().format()).append(" | ")
                    .append(any.primary().unit()).append(" | ")
                    .append(r.ratio() == null ? "-" : r.ratio().format()).append(" | ")
                    .append(r.verdict()).append(" | ").append(r.allocation()).append(" |\n");
            faster += r.verdict().equals("faster") ? 1 : 0;
            slower += r.verdict().equals("slower") ? 1 : 0;
            same += r.verdict().equals(NO_CHANGE) ? 1 : 0;
            allocating += r.allocation().endsWith(ALLOCATES_MORE) ? 1 : 0;
        }
        md.append('\n').append(faster).append(" faster, ").append(slower).append(" slower, ").append(same)
                .append(" with no significant change (99.9 % intervals overlap), ")
                .append(rows.size() - faster - slower - same).append(" in one file only")
                .append(allocating == 0 ? "" : "; " + allocating + " " + ALLOCATES_MORE + " than before")
                .append('\n');
        return md.toString();
    }
}
