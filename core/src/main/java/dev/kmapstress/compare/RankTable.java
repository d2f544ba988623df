package dev.kmapstress.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A comparison as text: per group (workload x CPUs) its rows with median and interval and rank
 * group, which rows are indistinguishable, and the split-half check; then the summary of the
 * best lock per workload x CPUs.
 */
public final class RankTable {

    private RankTable() {
    }

    /** Every group's table, then the summary. */
    public static List<String> text(List<Ranking.Group> groups, int rounds) {
        List<String> l = new ArrayList<>();
        for (Ranking.Group g : groups) {
            l.addAll(group(g, rounds));
            l.add("");
        }
        l.addAll(best(groups));
        return l;
    }

    /** What the ranks stand on, said once for the text table and the Markdown one. */
    private static final String VS_BLOCK = "'vs block': each round over the geometric mean of its block (one round"
            + " of every configuration, run back to back), which cancels what the host did meanwhile";

    /**
     * What intervals of {@code counts} values are, as every label states it: {@code "96.1 %"}, or
     * {@code "93.8 to 99.2 %"} when the counts give different coverages; empty without any.
     */
    static String coverage(List<Integer> counts) {
        java.util.DoubleSummaryStatistics c = counts.stream().filter(n -> n > 0)
                .mapToDouble(MedianInterval::coverage).summaryStatistics();
        if (c.getCount() == 0) {
            return "";
        }
        String low = String.format(Locale.ROOT, "%.1f", 100 * c.getMin());
        String high = String.format(Locale.ROOT, "%.1f", 100 * c.getMax());
        return (low.equals(high) ? low : low + " to " + high) + " %";
    }

    /** The rounds behind each row's figures. */
    static List<Integer> rounds(List<RankedRow> rows) {
        return rows.stream().map(r -> r.rounds().size()).filter(n -> n > 0).toList();
    }

    /** One group's rows, best first. */
    static List<String> group(Ranking.Group g, int rounds) {
        List<String> l = new ArrayList<>();
        List<Integer> counts = rounds(g.rows());
        String of = counts.isEmpty() ? "no rounds measured" : String.format(Locale.ROOT, "median of %s [%s interval]",
                counts.stream().distinct().count() == 1 ? counts.get(0) + " rounds" : "each row's rounds",
                coverage(counts));
        l.add(String.format(Locale.ROOT, "workload %s, %d CPU%s (%s)", g.workload(), g.cpus(),
                g.cpus() == 1 ? "" : "s", of));
        int w = Math.max(9, g.rows().stream().mapToInt(r -> r.label().length()).max().orElse(0));
        String op = g.latencyOp();
        l.add(String.format(Locale.ROOT, "%-5s %-" + w + "s %34s %22s %30s  %s", "rank", "lock/wait", "maps/s",
                "vs block", op + " p99 ns", "verdict"));
        for (RankedRow r : g.rows()) {
            l.add(String.format(Locale.ROOT, "%-5s %-" + w + "s %34s %22s %30s  %s%s", r.rank(), r.label(),
                    interval(r.mapsPerSecond()), ratio(r.relative()), interval(r.p99()), r.verdict(),
                    why(r) + (r.cut() ? " (cut short by the interruption)" : "") + " (" + r.rounds().size()
                            + " rounds)"));
        }
        Map<String, List<String>> shared = new LinkedHashMap<>();
        g.rows().stream().filter(r -> RankGroups.shared(r.rank()))
                .forEach(r -> shared.computeIfAbsent(r.rank(), k -> new ArrayList<>()).add(r.label()));
        String ranks = coverage(g.rankedOn());
        shared.forEach((rank, labels) -> l.add("  rank " + rank + ": indistinguishable from the others its range"
                + " covers at " + ranks + ": " + String.join(", ", labels)));
        if (g.blocks() > 0) {
            l.add("  ranked by " + VS_BLOCK + " (" + g.blocks() + " complete blocks: " + ranks + " intervals)");
        }
        closing(g, rounds).forEach(line -> l.add("  " + line));
        return l;
    }

    /**
     * What a group's table ends with, in the text and the report alike: that nothing is ranked;
     * or that no best lock can be named, if some passing rows are unranked, then the split-half
     * line (without a ranked row there is no ranking whose stability it could judge).
     */
    private static List<String> closing(Ranking.Group g, int rounds) {
        if (noneRanked(g)) {
            return List.of(NONE_RANKED);
        }
        List<String> l = new ArrayList<>();
        if (g.unrankedPassed() > 0) {
            l.add(undecided(g));
        }
        l.add(g.splitHalf().line(rounds));
        return l;
    }

    /**
     * The comparison as Markdown for the report: a table per group (rank, lock/wait, maps/s and
     * p99 with their intervals, verdict with a failed row's reason), its split-half line, then
     * the best-lock summary.
     */
    public static String markdown(List<Ranking.Group> groups, java.util.function.Function<String, String> escape) {
        StringBuilder md = new StringBuilder();
        for (Ranking.Group g : groups) {
            String op = g.latencyOp();
            md.append("**").append(escape.apply(g.workload())).append(", ").append(g.cpus()).append(" CPU")
                    .append(g.cpus() == 1 ? "" : "s").append("**\n\n")
                    .append("| rank | lock/wait | maps/s median [").append(coverage(rounds(g.rows())))
                    .append(" interval] | vs block [").append(g.blocks() > 0 ? coverage(g.rankedOn()) : "-")
                    .append("] | ").append(op)
                    .append(" p99 ns median [interval] | rounds | verdict |\n|---|---|---|---|---|---|---|\n");
            for (RankedRow r : g.rows()) {
                md.append("| ").append(r.rank()).append(" | ").append(r.label()).append(" | ")
                        .append(interval(r.mapsPerSecond())).append(" | ").append(ratio(r.relative())).append(" | ")
                        .append(interval(r.p99())).append(" | ")
                        .append(r.rounds().size()).append(" | **").append(r.verdict()).append("**")
                        .append(escape.apply(why(r))).append(" |\n");
            }
            int rounds = g.rows().stream().mapToInt(r -> r.rounds().size()).max().orElse(0);
            closing(g, rounds).forEach(line -> md.append("\n").append(escape.apply(line)).append("\n"));
            md.append("\n");
        }
        md.append("Ranks like `1-3` are indistinguishable: their intervals, each of 95 % or more, overlap. Ranked by ")
                .append(VS_BLOCK)
                .append(".\n\n```\n");
        best(groups).forEach(l -> md.append(l).append('\n'));
        return md.append("```\n").toString();
    }

    /** Said of a group whose passing rows all lack the rounds for a ranked interval. */
    private static final String NONE_RANKED = "none ranked: no configuration that passed has the "
            + MedianInterval.FEWEST_AT_LEVEL + " rounds a " + Math.round(100 * MedianInterval.LEVEL)
            + " % interval needs (--rounds " + MedianInterval.FEWEST_AT_LEVEL + " or more, a --total long enough"
            + " for them)";

    /** Whether rows passed but none is ranked: the group names no best lock. */
    private static boolean noneRanked(Ranking.Group g) {
        return g.rows().stream().anyMatch(RankedRow::success) && g.rows().stream().noneMatch(RankedRow::rankable);
    }

    /** Said of a group where some rows that passed are ranked and others are not. */
    private static String undecided(Ranking.Group g) {
        return "no best lock: " + g.unrankedPassed() + " configuration" + (g.unrankedPassed() == 1 ? "" : "s")
                + " that passed had too few rounds to be ranked, and may be faster than the ranked ones";
    }

    /** After a row's verdict: why it failed, or why it passed unranked; empty for a ranked row. */
    private static String why(RankedRow r) {
        String why = r.reason().isEmpty() ? r.notRanked() : r.reason();
        return why.isEmpty() ? "" : ": " + why;
    }

    private static String ratio(MedianInterval i) {
        return i == null ? "-" : String.format(Locale.ROOT, "%.2f [%.2f .. %.2f]", i.median(), i.low(), i.high());
    }

    private static String interval(MedianInterval i) {
        return i == null ? "-" : String.format(Locale.ROOT, "%,.0f [%,.0f .. %,.0f]", i.median(), i.low(), i.high());
    }

    /**
     * The best lock per workload x CPUs: the rows whose rank group includes 1 (several where
     * the intervals cannot tell them apart).
     */
    static List<String> best(List<Ranking.Group> groups) {
        Set<String> workloads = new LinkedHashSet<>();
        Set<Integer> cpus = new java.util.TreeSet<>();
        groups.forEach(g -> {
            workloads.add(g.workload());
            cpus.add(g.cpus());
        });
        List<String> l = new ArrayList<>();
        l.add("best lock/wait per workload x CPUs: every one whose rank group includes 1 (several when indistinguishable):");
        int w = Math.max(8, workloads.stream().mapToInt(String::length).max().orElse(0));
        List<List<String>> cells = new ArrayList<>();
        for (String wl : workloads) {
            List<String> row = new ArrayList<>();
            for (int c : cpus) {
                row.add(groups.stream().filter(g -> g.workload().equals(wl) && g.cpus() == c).findFirst()
                        .map(RankTable::bestCell).orElse("-"));
            }
            cells.add(row);
        }
        int cw = Math.max(12, cells.stream().flatMap(List::stream).mapToInt(String::length).max().orElse(0));
        l.add(String.format("%-" + w + "s", "workload") + cpus.stream().map(c -> String.format("  %-" + cw + "s",
                c + " CPU" + (c == 1 ? "" : "s"))).collect(Collectors.joining()));
        int i = 0;
        for (String wl : workloads) {
            l.add(String.format("%-" + w + "s", wl) + cells.get(i++).stream().map(s -> String.format("  %-" + cw + "s", s))
                    .collect(Collectors.joining()));
        }
        return l;
    }

    private static String bestCell(Ranking.Group g) {
        List<RankedRow> best = g.best();
        if (best.isEmpty()) {
            return noneRanked(g) ? "none ranked" : g.unrankedPassed() > 0 ? "undecided (" + g.unrankedPassed()
                    + " unranked)" : "none passed";
        }
        return best.stream().map(r -> r.label() + " (" + r.rank() + ")").collect(Collectors.joining(", "));
    }
}
