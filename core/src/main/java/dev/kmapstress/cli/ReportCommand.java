package dev.kmapstress.cli;

import dev.kmapstress.results.AtomicFiles;
import dev.kmapstress.report.Charts;
import dev.kmapstress.report.Charts.ChartFile;
import dev.kmapstress.report.Comparison;
import dev.kmapstress.report.JmhFiles;
import dev.kmapstress.report.JmhRun;
import dev.kmapstress.report.MarkdownReport;
import dev.kmapstress.report.ReportSummary;
import dev.kmapstress.report.TortureReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kmap-stress report}: turns the JMH results files of a folder into a Markdown report
 * with the target ratios and PNG charts, or, with {@code --compare OLD NEW}, prints the ratio
 * per benchmark between two results files with the errors taken into account.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes results/REPORT.md (targets with pass/fail, charts, score tables) from the"
                + " JMH results in results/jmh/ and the torture results in results/torture/, or compares two"
                + " JMH results files."})
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--results", defaultValue = "results/jmh", paramLabel = "DIR",
            description = "Folder of JMH results (*.json) (default: ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--torture", defaultValue = "results/torture", paramLabel = "DIR",
            description = "Folder of torture and compare results (*.json) to add to the report;"
                    + " left out if it does not exist (default: ${DEFAULT-VALUE}).")
    Path torture;

    @Option(names = "--out", defaultValue = "results/REPORT.md", paramLabel = "FILE",
            description = "The report to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--charts", paramLabel = "DIR",
            description = "Folder for the PNG charts (default: the results folder's charts/).")
    Path charts;

    @Option(names = "--compare", arity = "2", paramLabel = "FILE",
            description = "OLD.json NEW.json: print NEW/OLD per benchmark and parameters, no report.")
    List<Path> compare;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (compare != null) {
            refuseWithCompare();
            JmhRun old = JmhFiles.read(compare.get(0));
            JmhRun neu = JmhFiles.read(compare.get(1));
            stdout.print(Comparison.render(old, neu, Comparison.compare(old, neu)));
            stdout.flush();
            return 0;
        }
        // The results first: a --results that is no folder is what is wrong, not the --charts inside it.
        List<JmhRun> runs = ReportSummary.newestFirst(JmhFiles.readAll(results));
        Path chartDir = charts != null ? charts : results.resolve("charts");
        Outputs.file("--out", out);
        Outputs.directory("--charts", chartDir);
        Map<Path, List<ChartFile>> drawn = new LinkedHashMap<>();
        int count = 0;
        for (JmhRun run : runs) {
            List<ChartFile> files = Charts.write(run, chartDir);
            drawn.put(run.source(), files);
            count += files.size();
        }
        AtomicFiles.writeString(out, MarkdownReport.render(runs, drawn, out,
                ReportSummary.render(runs, out.toAbsolutePath().getParent())) + TortureReport.render(torture, out));
        stdout.println("wrote " + out + " from " + runs.size() + " results file(s), with " + count
                + " chart(s) in " + chartDir);
        stdout.flush();
        return 0;
    }

    /**
     * {@code --compare} takes one pair and writes nothing: a second pair or a report option given
     * with it would otherwise be ignored without a word.
     */
    private void refuseWithCompare() {
        if (compare.size() != 2) {
            throw new IllegalArgumentException("--compare takes one OLD.json NEW.json pair; given " + compare.size()
                    + " files: " + compare);
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        for (String option : List.of("--results", "--torture", "--out", "--charts")) {
            if (given.hasMatchedOption(option)) {
                throw new IllegalArgumentException(option + " with --compare: --compare prints its comparison and"
                        + " writes no report; give " + option + " for a report, without --compare");
            }
        }
    }
}
