package dev.kmapstress.report;

import dev.kmapstress.results.Environment;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One results file: its JMH results, the environment they came from (for plain JMH JSON only
 * the JVM is known) and whether the run completed.
 */
public record JmhRun(Path source, Environment environment, boolean complete, List<JmhResult> results) {

    public JmhRun {
        results = List.copyOf(results);
    }

    /** The file's name without {@code .json}, used to name its charts. */
    public String stem() {
        String name = source.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /** The results of benchmark {@code name} ({@code Class.method}), in file order. */
    public List<JmhResult> of(String name) {
        return results.stream().filter(r -> r.name().equals(name)).collect(Collectors.toList());
    }
}
