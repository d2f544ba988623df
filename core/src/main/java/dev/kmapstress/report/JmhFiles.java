package dev.kmapstress.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmapstress.results.AtomicFiles;
import dev.kmapstress.results.Environment;
import dev.kmapstress.results.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import static dev.kmapstress.results.ResultsFiles.bad;
import static dev.kmapstress.results.ResultsFiles.firstLine;
import static dev.kmapstress.results.ResultsFiles.parse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads and writes JMH results files.
 *
 * <p>{@code RunMatrix} writes two files: {@code NAME.json}, JMH's own JSON array exactly as JMH
 * wrote it (so JMH's tools and visualisers open it), and beside it the sidecar
 * {@code NAME.env.json} ({@value #ENV_FORMAT}): the environment (JDK, OS, CPU, load, command,
 * note) and whether the run completed. Three shapes are read: that pair, plain JMH JSON without
 * a sidecar (only the JVM is known), and the older single file ({@value #FORMAT}) that wrapped
 * the array in an object with the environment.
 *
 * <p>Every refusal is an {@link IllegalArgumentException} whose message is one line naming the
 * file and what is wrong with it.
 */
public final class JmhFiles {

    /** The {@code format} value of the older kmap-stress results files (array and environment in one). */
    public static final String FORMAT = Schema.JMH.id();
    /** The {@code format} value of an environment sidecar. */
    public static final String ENV_FORMAT = Schema.JMH_ENVIRONMENT.id();
    /** How a sidecar's name ends: {@code NAME.json} has {@code NAME.env.json}. */
    public static final String ENV_SUFFIX = ".env.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private JmhFiles() {
    }

    /**
     * Writes JMH's JSON array {@code jmhJson} to {@code target} unchanged and the environment to
     * its sidecar, each atomically (the array first: a run interrupted between the two leaves
     * the previous sidecar, which says the run was incomplete).
     */
    public static void write(Path target, Environment environment, boolean complete, String jmhJson)
            throws IOException {
        if (!MAPPER.readTree(jmhJson).isArray()) {
            throw new IllegalArgumentException("JMH results to write to " + target + " are not a JSON array");
        }
        ObjectNode env = MAPPER.createObjectNode();
        env.put("format", ENV_FORMAT);
        env.put("results", target.getFileName().toString());
        env.set("environment", MAPPER.valueToTree(environment));
        env.put("complete", complete);
        AtomicFiles.writeString(target, jmhJson);
        AtomicFiles.writeString(sidecar(target), MAPPER.writeValueAsString(env) + "\n");
    }

    /** The environment sidecar of results file {@code results}: {@code NAME.env.json}. */
    public static Path sidecar(Path results) {
        String name = results.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return results.resolveSibling(stem + ENV_SUFFIX);
    }

    /** Reads every {@code *.json} file of {@code dir}, sorted by name. */
    public static List<JmhRun> readAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + (Files.exists(dir) ? ": is a file, not a directory"
                    : ": no such directory") + " (expected a directory of JMH results *.json)");
        }
        List<Path> files = jsonFiles(dir);
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no *.json results in it; run the JMH commands of"
                    + " benchmarks/README.md first");
        }
        List<JmhRun> runs = new ArrayList<>();
        for (Path f : files) {
            runs.add(read(f));
        }
        return runs;
    }

    /** The {@code *.json} files of the directory {@code dir} but environment sidecars, sorted by name. */
    static List<Path> jsonFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().endsWith(ENV_SUFFIX)).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot list: " + e.getMessage());
        }
    }

    /** Reads one results file of any shape (see the class comment), with its sidecar if it has one. */
    public static JmhRun read(Path file) {
        if (file.getFileName().toString().endsWith(ENV_SUFFIX)) {
            throw bad(file, "an environment sidecar, not JMH results: read the results file "
                    + file.getFileName().toString().replace(ENV_SUFFIX, ".json") + " beside it");
        }
        JsonNode root = parse(file);
        if (root.isArray()) {
            Path sidecar = sidecar(file);
            if (!Files.exists(sidecar)) {
                return new JmhRun(file, plainEnvironment(root), true, results(file, root));
            }
            JsonNode env = parse(sidecar);
            if (!ENV_FORMAT.equals(env.path("format").asText())) {
                throw bad(sidecar, "not an environment sidecar: expected 'format' " + ENV_FORMAT);
            }
            return new JmhRun(file, environment(sidecar, env), env.path("complete").asBoolean(false),
                    results(file, root));
        }
        if (root.isObject() && FORMAT.equals(root.path("format").asText())) {
            JsonNode benchmarks = root.path("benchmarks");
            if (!benchmarks.isArray()) {
                throw bad(file, "'benchmarks' is not an array of JMH results");
            }
            return new JmhRun(file, environment(file, root), root.path("complete").asBoolean(false),
                    results(file, benchmarks));
        }
        throw bad(file, "not JMH results: expected JMH's JSON array (-rf json) or a " + FORMAT + " object");
    }

    /** The {@code environment} object of {@code root} (a sidecar or an older results file). */
    private static Environment environment(Path file, JsonNode root) {
        try {
            return MAPPER.treeToValue(root.path("environment"), Environment.class);
        } catch (JsonProcessingException e) {
            throw bad(file, "'environment' does not parse: " + firstLine(e.getOriginalMessage()));
        }
    }

    /** What plain JMH JSON tells of its environment: the JVM of its first result, nothing else. */
    private static Environment plainEnvironment(JsonNode array) {
        JsonNode first = array.path(0);
        String jdk = !first.isObject() ? "not recorded" : first.path("vmName").asText("?") + " "
                + first.path("vmVersion").asText("?") + " (JDK " + first.path("jdkVersion").asText("?") + ")";
        return Environment.notRecorded(jdk);
    }


    private static List<JmhResult> results(Path file, JsonNode array) {
        if (array.isEmpty()) {
            // What JMH writes when no benchmark matched or every one failed: nothing to report on.
            throw bad(file, "holds no benchmark results (an empty array: no benchmark matched, or every one failed)");
        }
        List<JmhResult> list = new ArrayList<>();
        int i = 0;
        for (JsonNode n : array) {
            i++;
            list.add(result(file, i, n));
        }
        return list;
    }

    private static JmhResult result(Path file, int i, JsonNode n) {
        String where = "result #" + i;
        String benchmark = text(file, where, n, "benchmark");
        if (benchmark.indexOf('.') < 0) {
            throw bad(file, where + ": benchmark '" + benchmark + "' is not a Class.method name");
        }
        String mode = text(file, where, n, "mode");
        JsonNode threads = n.path("threads");
        if (!threads.canConvertToInt() || threads.asInt() < 1) {
            throw bad(file, where + " (" + benchmark + "): 'threads' must be a positive integer");
        }
        TreeMap<String, String> params = new TreeMap<>();
        n.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        Metric primary = metric(file, where + " (" + benchmark + ") primaryMetric", n.path("primaryMetric"));
        Map<String, Metric> secondary = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.path("secondaryMetrics").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = where + " (" + benchmark + ") " + e.getKey();
            secondary.put(e.getKey(), metric(file, name, e.getValue()));
        }
        return new JmhResult(benchmark, mode, threads.asInt(), params, primary, secondary);
    }

    private static Metric metric(Path file, String where, JsonNode n) {
        if (!n.isObject()) {
            throw bad(file, where + ": missing");
        }
        double score = number(n.path("score"));
        if (Double.isNaN(score)) {
            throw bad(file, where + ": 'score' is not a number");
        }
        return new Metric(score, number(n.path("scoreError")), text(file, where, n, "scoreUnit"));
    }

    /** A JSON number, or JMH's quoted "NaN"; NaN for anything else. */
    private static double number(JsonNode n) {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        try {
            return n.isTextual() ? Double.parseDouble(n.asText()) : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String text(Path file, String where, JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw bad(file, where + ": no '" + field + "'");
        }
        return v.asText();
    }


}
