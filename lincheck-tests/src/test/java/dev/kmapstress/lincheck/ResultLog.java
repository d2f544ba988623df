package dev.kmapstress.lincheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of every Lincheck run of this JVM, for the results table: one tab-separated line
 * per run in {@code runs.tsv}, and the full Lincheck report of every failure it found under
 * {@code reports/}, both in the directory named by the system property {@value #DIR_PROPERTY}
 * (default {@code target/lincheck}). Each write replaces the whole file through a temporary
 * file and a rename, so a reader never sees half a file.
 */
final class ResultLog {

    static final String DIR_PROPERTY = "kmapstress.lincheck.out";
    static final String RUNS_FILE = "runs.tsv";
    static final String REPORTS_DIR = "reports";
    /** The columns of {@code runs.tsv}. */
    static final String HEADER = "structure\tvariant\tmode\tbudget\texpected\toutcome\tmillis\tcpu millis\tfirst line";

    private static final List<String> LINES = new ArrayList<>();

    private ResultLog() {
    }

    /** One run's row. */
    record Run(String structure, String variant, Mode mode, Budget budget, boolean expectFailure,
            boolean failed, long millis, long cpuMillis, String firstLine) {

        /** What the table says about it: passed / FAILED for faithful runs, found / missed for faults. */
        String outcome() {
            if (expectFailure) {
                return failed ? "found" : "missed";
            }
            return failed ? "FAILED" : "passed";
        }

        String tsv() {
            return String.join("\t", structure, variant, mode.label(), budget.id(),
                    expectFailure ? "failure" : "pass", outcome(), Long.toString(millis), Long.toString(cpuMillis),
                    firstLine.replace('\t', ' '));
        }
    }

    /** Appends a run and rewrites {@code runs.tsv}. */
    static synchronized void add(Run run) {
        LINES.add(run.tsv());
        List<String> all = new ArrayList<>();
        all.add(HEADER);
        all.addAll(LINES);
        writeAtomically(dir().resolve(RUNS_FILE), String.join("\n", all) + "\n");
    }

    /** Saves Lincheck's report of a failure as {@code reports/<name>.txt}; returns the path. */
    static synchronized Path saveReport(String name, String text) {
        Path file = dir().resolve(REPORTS_DIR).resolve(name.replaceAll("[^A-Za-z0-9_.-]+", "-") + ".txt");
        writeAtomically(file, text);
        return file;
    }

    static Path dir() {
        return Path.of(System.getProperty(DIR_PROPERTY, "target/lincheck"));
    }

    /** Writes {@code text} to {@code file} through a temporary sibling and an atomic rename. */
    static void writeAtomically(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
