package dev.kmapstress.lincheck;

import dev.kmapstress.fault.Fault;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns the {@link ResultLog} of a run into the committed results: {@code table.md} (structure
 * × mode × faithful result × faults found × time, then one row per seeded fault),
 * {@code runs.tsv} (the raw rows) and the head of each failure report, each written through a
 * temporary file and a rename. The Maven profile {@code thorough} runs it after the tests:
 *
 * <pre>{@code
 * java dev.kmapstress.lincheck.ResultTable lincheck-tests/target/lincheck results/lincheck
 * }</pre>
 */
public final class ResultTable {

    /** The command README gives for the run this table comes from. */
    static final String COMMAND = "mvn -B -pl lincheck-tests -am verify -Pthorough";
    /** Lines of each failure report kept in results/ (the full report stays under target/). */
    static final int REPORT_LINES = 60;

    private ResultTable() {
    }

    /** One row of runs.tsv. */
    record Row(String structure, String variant, String mode, String budget, boolean expectFailure,
            String outcome, long millis, long cpuMillis, String firstLine) {

        static Row parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length != 9) {
                throw new IllegalArgumentException("runs.tsv line has " + f.length + " fields, 9 expected: " + line);
            }
            return new Row(f[0], f[1], f[2], f[3], f[4].equals("failure"), f[5], Long.parseLong(f[6]),
                    Long.parseLong(f[7]), f[8]);
        }

        boolean faithful() {
            return variant.equals(LincheckRun.FAITHFUL);
        }

        String seconds() {
            return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
        }

        String cpuSeconds() {
            return String.format(Locale.ROOT, "%.1f", cpuMillis / 1000.0);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ResultTable RUN_DIR RESULTS_DIR (e.g. lincheck-tests/target/lincheck results/lincheck)");
            System.exit(2);
        }
        Path runDir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path runs = runDir.resolve(ResultLog.RUNS_FILE);
        if (!Files.isRegularFile(runs)) {
            System.err.println(runs + ": no such file; run the Lincheck tests first");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(runs, StandardCharsets.UTF_8);
        List<Row> rows = lines.stream().skip(1).filter(l -> !l.isBlank()).map(Row::parse).toList();
        ResultLog.writeAtomically(out.resolve(ResultLog.RUNS_FILE), String.join("\n", lines) + "\n");
        copyReportHeads(runDir.resolve(ResultLog.REPORTS_DIR), out.resolve(ResultLog.REPORTS_DIR));
        ResultLog.writeAtomically(out.resolve("table.md"), markdown(rows));
        System.out.println("wrote " + out.resolve("table.md") + " from " + rows.size() + " runs");
    }

    /** The whole table.md. */
    static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("# Lincheck results\n\n");
        sb.append(header(rows)).append('\n');
        sb.append("## Structure × mode\n\n").append(structureTable(rows)).append('\n');
        sb.append("## Seeded faults\n\n").append(faultTable(rows)).append('\n');
        List<String> unseen = unseenFaults(rows);
        if (!unseen.isEmpty()) {
            sb.append("Faults of the catalogue with no Lincheck run: ").append(String.join(", ", unseen))
                    .append(" (the module README says why).\n");
        }
        return sb.toString();
    }

    private static String header(List<Row> rows) {
        String budgets = rows.stream().filter(r -> !r.expectFailure).map(Row::budget).distinct()
                .collect(Collectors.joining(", "));
        return "Produced by `" + COMMAND + "` on " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                + ": " + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + ", JDK " + System.getProperty("java.version")
                + ", load average " + String.format(Locale.ROOT, "%.1f",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                + " when the table was written.\n"
                + "Faithful checks ran with the " + budgets + " budget; every seeded-fault check searches with the "
                + Budget.FAULT_SEARCH.id() + " budget and stops at its first failure.\n"
                + "Times are wall-clock seconds and, in brackets, CPU seconds of the whole test JVM (Lincheck's"
                + " threads, JIT and GC included); the machine may have been shared, so the CPU figure is the"
                + " better measure of cost.\n";
    }

    private static String structureTable(List<Row> rows) {
        StringBuilder sb = new StringBuilder(
                "| structure | mode | faithful model | time | faults found (time to find) | not found |\n"
                + "|---|---|---|---|---|---|\n");
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(r.structure + "\t" + r.mode, k -> new ArrayList<>()).add(r);
        }
        groups.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            List<Row> g = e.getValue();
            Row first = g.get(0);
            Row faithful = g.stream().filter(Row::faithful).findFirst().orElse(null);
            sb.append("| ").append(first.structure).append(" | ").append(first.mode).append(" | ")
                    .append(faithful == null ? "—" : faithful.outcome).append(" | ")
                    .append(faithful == null ? "—" : faithful.seconds() + " (" + faithful.cpuSeconds() + ")")
                    .append(" | ").append(list(g, "found", true)).append(" | ").append(list(g, "missed", false))
                    .append(" |\n");
        });
        return sb.toString();
    }

    private static String list(List<Row> group, String outcome, boolean withTime) {
        String s = group.stream().filter(r -> r.expectFailure && r.outcome.equals(outcome))
                .map(r -> withTime ? r.variant + " (" + r.seconds() + " s)" : r.variant)
                .collect(Collectors.joining(", "));
        return s.isEmpty() ? "—" : s;
    }

    private static String faultTable(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| fault | structure | model checking | stress | report's first line |\n"
                + "|---|---|---|---|---|\n");
        Map<String, List<Row>> byFault = new LinkedHashMap<>();
        for (Row r : rows) {
            if (!r.faithful()) {
                String fault = r.variant.equals("broken lock") ? "broken lock " + r.structure.replace("lock ", "") : r.variant;
                byFault.computeIfAbsent(fault + "\t" + r.structure, k -> new ArrayList<>()).add(r);
            }
        }
        byFault.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            List<Row> g = e.getValue();
            String first = g.stream().map(Row::firstLine).filter(s -> !s.isEmpty()).findFirst().orElse("—");
            sb.append("| ").append(e.getKey().split("\t")[0]).append(" | ").append(g.get(0).structure)
                    .append(" | ").append(cell(g, Mode.MODEL_CHECKING)).append(" | ").append(cell(g, Mode.STRESS))
                    .append(" | ").append(first).append(" |\n");
        });
        return sb.toString();
    }

    private static String cell(List<Row> group, Mode mode) {
        return group.stream().filter(r -> r.mode.equals(mode.label())).findFirst()
                .map(r -> switch (r.outcome) {
                    case "found" -> "found in " + r.seconds() + " s (" + r.cpuSeconds() + ")";
                    case "passed" -> "passes: benign";
                    default -> r.outcome;
                }).orElse("not run");
    }

    private static List<String> unseenFaults(List<Row> rows) {
        return Stream.of(Fault.values()).map(Fault::name)
                .filter(f -> rows.stream().noneMatch(r -> r.variant.equals(f))).toList();
    }

    private static void copyReportHeads(Path from, Path to) throws IOException {
        if (Files.isDirectory(to)) {
            // Heads of an earlier run's reports would pass for this run's.
            try (Stream<Path> old = Files.list(to)) {
                for (Path p : old.filter(p -> p.toString().endsWith(".txt")).toList()) {
                    Files.delete(p);
                }
            }
        }
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                String head = lines.stream().limit(REPORT_LINES).collect(Collectors.joining("\n"));
                if (lines.size() > REPORT_LINES) {
                    head += "\n[... " + (lines.size() - REPORT_LINES) + " more lines of the interleaving:"
                            + " lincheck-tests/target/lincheck/reports/" + f.getFileName() + "]";
                }
                ResultLog.writeAtomically(to.resolve(f.getFileName()), head + "\n");
            }
        }
    }
}
