package dev.kmapstress.scenario;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs scripts in-process for the tests: from text, or from the repository's scenarios/. */
final class Scenarios {

    /** What a run printed and how it ended. */
    record Run(String out, ScenarioResult result) {
        /** Standard output followed by the failure line, as a terminal shows a failed run. */
        String transcript() {
            return result.passed() ? out : out + result.failure() + "\n";
        }
    }

    private Scenarios() {
    }

    /** The repository's scenarios/ folder (tests run in core/). */
    static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("scenarios"))) {
                return p.resolve("scenarios");
            }
        }
        throw new IllegalStateException("no scenarios/ folder above " + Path.of("").toAbsolutePath());
    }

    static Run run(String text, String... settings) {
        return run("test.scenario", text, false, settings);
    }

    static Run run(String source, String text, boolean trace, String... settings) {
        Script script = ScriptParser.parse(source, text, List.of(settings));
        StringWriter sw = new StringWriter();
        ScenarioResult r = ScenarioRunner.run(script, trace, new PrintWriter(sw));
        return new Run(sw.toString(), r);
    }

    /** Runs a file of scenarios/, named in messages as the CLI names it from the repository root. */
    static Run runFile(Path file, boolean trace, String... settings) {
        String source = dir().getParent().relativize(file).toString();
        return run(source, read(file), trace, settings);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
