package dev.kmapstress.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The torture half of {@code results/REPORT.md}: one table row per {@code torture --json}
 * results file (verdict, rate, latency, the sleeps and shootdowns that show the slow paths
 * ran) and, per {@code compare} results file, its ranking with the charts it drew.
 *
 * <p>Files are recognised by their {@code schema}; any other {@code *.json} in the folder is
 * refused with the file's name, as the JMH reader does, so a stray file is never silently
 * left out of the report.
 */
public final class TortureReport {

    static final String TORTURE_SCHEMA = "kmap-stress-torture/1";
    static final String COMPARE_SCHEMA = "kmap-stress-compare/1";

    private TortureReport() {
    }

    /**
     * The section for the results files in {@code dir}, with chart links relative to
     * {@code reportFile}; empty when the folder does not exist or holds no {@code *.json}.
     */
    public static String render(Path dir, Path reportFile) {
        List<Path> files = Files.isDirectory(dir) ? JmhFiles.jsonFiles(dir) : List.of();
        if (files.isEmpty()) {
            return "";
        }
        StringBuilder tortures = new StringBuilder();
        StringBuilder compares = new StringBuilder();
        for (Path f : files) {
            JsonNode root = JmhFiles.parse(f);
            String schema = root.path("schema").asText("");
            if (schema.equals(TORTURE_SCHEMA)) {
                tortureRow(tortures, f, root);
            } else if (schema.equals(COMPARE_SCHEMA)) {
                compares.append(compare(f, root, reportFile));
            } else {
                throw JmhFiles.bad(f, "not a torture or compare results file: expected 'schema' "
                        + TORTURE_SCHEMA + " or " + COMPARE_SCHEMA + ", found '" + schema + "'");
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

    private static void tortureRow(StringBuilder md, Path file, JsonNode root) {
        JsonNode config = root.path("config");
        JsonNode summary = root.path("summary");
        JsonNode machine = summary.path("machine");
        JsonNode kmap = kmapLatency(summary.path("ops"));
        String verdict = root.path("verdict").asText("?") + (root.path("interrupted").asBoolean() ? " (interrupted)" : "");
        JsonNode reasons = root.path("reasons");
        if (reasons.isArray() && reasons.size() > 0) {
            verdict += ": " + reasons.get(0).asText();
        }
        md.append("| `").append(file.getFileName()).append("` | ").append(config.path("profile").asText("?"))
                .append(" | ").append(config.path("lock").asText("?")).append(" / ")
                .append(config.path("wait-strategy").asText("?")).append(" | ")
                .append(MarkdownReport.cell(config.path("workload").asText("?"))).append(" | ")
                .append(config.path("cpus").asText("?")).append(" × ")
                .append(config.path("tasks-per-cpu").asText("?")).append(" | ")
                .append(Numbers.format(summary.path("seconds").asDouble(Double.NaN))).append(" | **")
                .append(MarkdownReport.cell(verdict)).append("** | ")
                .append(Numbers.format(summary.path("mapsPerSecond").asDouble(Double.NaN))).append(" | ")
                .append(percentiles(kmap)).append(" | ")
                .append(machine.path("sleep").asLong()).append(" (").append(machine.path("wakeup").asLong())
                .append(") | ").append(machine.path("tlb_flush").asLong()).append(" | ")
                .append(summary.path("harness").path("words_verified").asLong()).append(" |\n");
    }

    /** The latency object of the {@code kmap} operation, or a missing node. */
    private static JsonNode kmapLatency(JsonNode ops) {
        for (JsonNode op : ops) {
            if (op.path("op").asText().equals("kmap")) {
                return op.path("latency");
            }
        }
        return ops.path("missing");
    }

    private static String percentiles(JsonNode latency) {
        return latency.isObject() ? latency.path("p50").asLong() + " / " + latency.path("p99").asLong() + " / "
                + latency.path("p999").asLong() : "-";
    }

    private static String compare(Path file, JsonNode root, Path reportFile) {
        JsonNode config = root.path("config");
        JsonNode env = root.path("environment");
        StringBuilder md = new StringBuilder("\n## Lock comparison `" + file.getFileName() + "`\n\n");
        md.append(env.path("date").asText("?")).append(", ").append(env.path("cpuModel").asText("?"))
                .append(", ").append(env.path("cpus").asText("?")).append(" CPUs; profile ")
                .append(config.path("profile").asText("?")).append(", workload `")
                .append(config.path("workload").asText("?")).append("`, ")
                .append(config.path("cpus").asText("?")).append(" CPUs × ")
                .append(config.path("tasks-per-cpu").asText("?")).append(" tasks, ")
                .append(config.path("duration").asText("?")).append(" per run after a ")
                .append(config.path("warmup").asText("?")).append(" warm-up")
                .append(root.path("interrupted").asBoolean() ? "; INTERRUPTED" : "").append(".\n\n");
        md.append("| lock | wait | mappings/s | kmap p50 / p99 / p99.9 ns | fairness (max/min CPU) | waits"
                + " | verdict |\n|---|---|---|---|---|---|---|\n");
        for (JsonNode row : root.path("rows")) {
            String verdict = row.path("verdict").asText("?");
            String reason = row.path("reason").asText("");
            md.append("| ").append(row.path("lock").asText("?")).append(" | ")
                    .append(row.path("waitStrategy").asText("?")).append(" | ")
                    .append(Numbers.format(row.path("mapsPerSecond").asDouble(Double.NaN))).append(" | ")
                    .append(percentiles(row)).append(" | ")
                    .append(Numbers.format(row.path("fairness").asDouble(Double.NaN))).append(" | ")
                    .append(row.path("waits").asLong()).append(" | **").append(verdict).append("**")
                    .append(reason.isEmpty() ? "" : ": " + MarkdownReport.cell(reason)).append(" |\n");
        }
        Path base = reportFile.toAbsolutePath().getParent();
        for (JsonNode chart : root.path("charts")) {
            Path png = file.toAbsolutePath().resolveSibling(chart.asText());
            if (Files.isRegularFile(png)) {
                md.append("\n![").append(chart.asText()).append("](")
                        .append(base.relativize(png).toString().replace('\\', '/')).append(")\n");
            }
        }
        return md.toString();
    }
}
