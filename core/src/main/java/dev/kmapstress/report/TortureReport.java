package dev.kmapstress.report;

import dev.kmapstress.compare.CompareResult;
import dev.kmapstress.compare.RankTable;
import dev.kmapstress.machine.KernelOp;
import dev.kmapstress.results.CompareFile;
import dev.kmapstress.results.Environment;
import dev.kmapstress.results.ResultsFiles;
import dev.kmapstress.results.TortureFile;
import dev.kmapstress.torture.Latency;
import dev.kmapstress.torture.OpCounts;
import dev.kmapstress.torture.Summary;
import dev.kmapstress.torture.TortureResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The torture half of {@code results/REPORT.md}: one table row per {@code torture --json}
 * results file (verdict, rate, latency, the sleeps and shootdowns that show the slow paths
 * ran) and, per {@code compare} results file, its ranking with the charts it drew.
 *
 * <p>Files are read back as typed records by {@link ResultsFiles#read}; any other
 * {@code *.json} in the folder is refused with the file's name, as the JMH reader does, so a
 * stray file is never silently left out of the report.
 */
public final class TortureReport {

    private TortureReport() {
    }

    /**
     * The section for the results files in {@code dir}, with chart links relative to
     * {@code reportFile}; empty when the folder does not exist or holds no {@code *.json}.
     */
    public static String render(Path dir, Path reportFile) {
        List<Path> files = Files.isDirectory(dir) ? ResultsFiles.jsonFiles(dir) : List.of();
        if (files.isEmpty()) {
            return "";
        }
        StringBuilder tortures = new StringBuilder();
        StringBuilder compares = new StringBuilder();
        for (Path f : files) {
            ResultsFiles.Read read = ResultsFiles.read(f);
            if (read instanceof TortureFile t) {
                tortureRow(tortures, t);
            } else if (read instanceof CompareFile c) {
                compares.append(compare(c, reportFile));
            }
        }
        StringBuilder md = new StringBuilder("\n# Torture and compare runs (`" + dir + "`)\n\n");
        md.append("Written by `./kmap-stress torture --json FILE` and `./kmap-stress compare`; latencies"
                + " are HdrHistogram percentiles of one kmap (kmap_high with its slow paths) in"
                + " nanoseconds, rates are mappings per second of all CPUs together.\n");
        if (tortures.length() > 0) {
            md.append("\n## Torture runs\n\n| file | profile | lock / wait | workload | CPUs × tasks | seconds"
                    + " | verdict | mappings/s | kmap p50 / p99 / p99.9 ns | sleeps (woken) | TLB shootdowns"
                    + " | words verified |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n").append(tortures);
        }
        return md.append(compares).toString();
    }

    private static void tortureRow(StringBuilder md, TortureFile file) {
        TortureResult run = file.run();
        Map<String, Object> config = run.config();
        Summary summary = run.summary();
        String verdict = run.verdict() + (run.interrupted() ? " (interrupted)" : "")
                + (run.reasons().isEmpty() ? "" : ": " + run.reasons().get(0));
        OpCounts kmap = summary.op(KernelOp.KMAP.word());
        md.append("| `").append(file.source().getFileName()).append("` | ").append(config.get("profile"))
                .append(" | ").append(config.get("lock")).append(" / ")
                .append(config.get("wait-strategy")).append(" | ")
                .append(MarkdownReport.cell(String.valueOf(config.get("workload")))).append(" | ")
                .append(config.get("cpus")).append(" × ")
                .append(config.get("tasks-per-cpu")).append(" | ")
                .append(Numbers.format(summary.seconds())).append(" | **")
                .append(MarkdownReport.cell(verdict)).append("** | ")
                .append(Numbers.format(summary.mapsPerSecond())).append(" | ")
                .append(kmap == null ? "-" : percentiles(kmap.latency())).append(" | ")
                .append(count(summary.machine(), "sleep")).append(" (").append(count(summary.machine(), "wakeup"))
                .append(") | ").append(count(summary.machine(), "tlb_flush")).append(" | ")
                .append(count(summary.harness(), "words_verified")).append(" |\n");
    }

    private static long count(Map<String, Long> counters, String name) {
        return counters.getOrDefault(name, 0L);
    }

    private static String percentiles(Latency l) {
        return l == null ? "-" : l.p50() + " / " + l.p99() + " / " + l.p999();
    }

    private static String compare(CompareFile file, Path reportFile) {
        CompareResult c = file.comparison();
        Map<String, Object> config = c.config();
        Environment env = file.environment();
        StringBuilder md = new StringBuilder("\n## Lock comparison `" + file.source().getFileName() + "`\n\n");
        md.append(env.date()).append(", ").append(env.cpuModel()).append(", ").append(env.availableProcessors())
                .append(" processors; profile ").append(config.get("profile")).append(", ")
                .append(config.get("rounds")).append(" round(s) of ").append(config.get("duration"))
                .append(" per configuration")
                .append(c.interrupted() ? "; INTERRUPTED" : "").append(".\n\n");
        md.append(RankTable.markdown(c.groups(), MarkdownReport::cell));
        Path base = reportFile.toAbsolutePath().getParent();
        for (String chart : c.charts()) {
            Path png = file.source().toAbsolutePath().resolveSibling(chart);
            if (Files.isRegularFile(png)) {
                md.append("\n![").append(chart).append("](")
                        .append(base.relativize(png).toString().replace('\\', '/')).append(")\n");
            }
        }
        return md.toString();
    }
}
