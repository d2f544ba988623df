package dev.kmapstress.report;

import dev.kmapstress.compare.RankedRow;
import dev.kmapstress.report.Targets.Target;
import dev.kmapstress.report.Targets.Verdict;
import dev.kmapstress.results.CompareFile;
import dev.kmapstress.results.ResultsFiles;
import dev.kmapstress.torture.TortureResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one screen {@code results/REPORT.md} opens with: each JMH target's verdict from the newest
 * run that measured it, the newest comparison of {@code compare/} or {@code torture/}, and the correctness suites' verdicts from their committed outputs
 * ({@code jcstress/SUMMARY.md}, {@code lincheck/runs.tsv}). The details follow in the report.
 */
public final class ReportSummary {

    private ReportSummary() {
    }

    /** The JMH runs, newest first (a file without a date last, then by name). */
    public static List<JmhRun> newestFirst(List<JmhRun> runs) {
        return runs.stream().sorted(Comparator.comparing((JmhRun r) -> r.environment().date(),
                Comparator.nullsLast(Comparator.reverseOrder())).thenComparing(JmhRun::stem)).toList();
    }

    /**
     * The summary section.
     *
     * @param runs    the JMH runs, newest first
     * @param results the results folder holding {@code jcstress/} and {@code lincheck/}
     */
    public static String render(List<JmhRun> runs, Path results) {
        StringBuilder md = new StringBuilder("## Summary\n\n");
        targets(md, runs);
        latestCompare(md, List.of(results.resolve("compare"), results.resolve("torture")));
        suites(md, results);
        return md.toString();
    }

    /**
     * The newest comparison of the folders {@code dirs} (the main job's {@code compare/}, the
     * older ones' {@code torture/}): its runs, verdicts, first and last ranked row.
     */
    static void latestCompare(StringBuilder md, List<Path> dirs) {
        Optional<CompareFile> newest = dirs.stream().filter(Files::isDirectory)
                .flatMap(d -> ResultsFiles.jsonFiles(d).stream()).map(ResultsFiles::read)
                .filter(CompareFile.class::isInstance).map(CompareFile.class::cast)
                .max(Comparator.comparing(f -> f.comparison().started()));
        newest.ifPresent(f -> {
            List<RankedRow> rows = f.comparison().rows();
            long ok = rows.stream().filter(RankedRow::success).count();
            md.append("Latest compare: `").append(f.source().getFileName()).append("` (")
                    .append(f.comparison().started()).append("): ").append(rows.size()).append(" runs, ")
                    .append(ok).append(" SUCCESS");
            // Ranked rows come best median first; failed rows and those short of rounds have no place in this.
            List<RankedRow> ranked = rows.stream().filter(r -> !RankedRow.UNRANKED.equals(r.rank())).toList();
            if (!ranked.isEmpty()) {
                RankedRow first = ranked.get(0);
                RankedRow last = ranked.get(ranked.size() - 1);
                md.append("; ranked first ").append(placed(first)).append(", last ").append(placed(last))
                        .append(" (details below)");
            } else if (ok > 0) {
                md.append("; none ranked (too few rounds for a 95 % interval)");
            }
            md.append(".\n\n");
        });
    }

    /** A ranked row as the summary names it: {@code tas/kernel (rank 1-3, 784058 mappings/s)}. */
    private static String placed(RankedRow r) {
        return r.label() + " (rank " + r.rank() + ", " + Numbers.format(r.mapsPerSecond().median()) + " mappings/s)";
    }

    private static void targets(StringBuilder md, List<JmhRun> runs) {
        Map<String, Target> firm = new LinkedHashMap<>();
        Map<String, JmhRun> from = new LinkedHashMap<>();
        for (JmhRun run : runs) {
            for (Target t : Targets.evaluate(run)) {
                firm.putIfAbsent(t.claim(), null);
                if (firm.get(t.claim()) == null && t.verdict() != Verdict.NOT_MEASURED) {
                    firm.put(t.claim(), t);
                    from.put(t.claim(), run);
                }
            }
        }
        md.append("| JMH target | verdict | measured | newest run that measured it |\n|---|---|---|---|\n");
        firm.forEach((claim, t) -> md.append("| ").append(MarkdownReport.cell(claim)).append(" | ")
                .append(t == null ? "NOT_MEASURED" : "**" + t.verdict() + "**").append(" | ")
                .append(t == null ? "-" : MarkdownReport.cell(t.measured())).append(" | ")
                .append(t == null ? "no run has the figures" : "`" + from.get(claim).stem() + "` ("
                        + from.get(claim).environment().date() + ")").append(" |\n"));
        md.append('\n');
    }

    private static void suites(StringBuilder md, Path results) {
        md.append("| suite | verdict |\n|---|---|\n");
        md.append("| JCStress (`jcstress/SUMMARY.md`) | ").append(jcstress(results.resolve("jcstress/SUMMARY.md")))
                .append(" |\n");
        md.append("| Lincheck (`lincheck/runs.tsv`) | ").append(lincheck(results.resolve("lincheck/runs.tsv")))
                .append(" |\n\n");
    }

    /** The suite's own verdict line and date, as its summary writes them. */
    static String jcstress(Path summary) {
        if (!Files.isRegularFile(summary)) {
            return "no committed run";
        }
        List<String> lines = lines(summary);
        return field(lines, "- Verdict: ").orElse("no verdict line") + "; " + field(lines, "- Date: ").orElse("undated");
    }

    /** How many checks came out as expected (faithful passed, seeded fault found). */
    static String lincheck(Path runs) {
        if (!Files.isRegularFile(runs)) {
            return "no committed run";
        }
        List<String[]> rows = lines(runs).stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t", -1))
                .toList();
        long faithful = rows.stream().filter(r -> r[4].equals("pass")).count();
        long passed = rows.stream().filter(r -> r[4].equals("pass") && r[5].equals("passed")).count();
        long faults = rows.stream().filter(r -> r[4].equals("failure")).count();
        long found = rows.stream().filter(r -> r[4].equals("failure") && r[5].equals("found")).count();
        boolean ok = passed == faithful && found == faults;
        return (ok ? "**PASS**" : "**FAIL**") + ", " + passed + " of " + faithful + " faithful checks passed, "
                + found + " of " + faults + " seeded-fault checks found their fault";
    }

    private static Optional<String> field(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst();
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
