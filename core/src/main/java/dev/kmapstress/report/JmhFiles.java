package dev.kmapstress.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads and writes JMH results files. Two shapes are read: JMH's own JSON (an array of results,
 * from {@code -rf json}) and the kmap-stress file {@code RunMatrix} writes, an object holding
 * the environment, a completeness flag and that same array under {@code benchmarks}.
 *
 * <p>Every refusal is an {@link IllegalArgumentException} whose message is one line naming the
 * file and what is wrong with it.
 */
public final class JmhFiles {

    /** The {@code format} value of kmap-stress results files. */
    public static final String FORMAT = "kmap-stress-jmh/1";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private JmhFiles() {
    }

    /** Writes a kmap-stress results file atomically around JMH's JSON array {@code jmhJson}. */
    public static void write(Path target, RunEnvironment environment, boolean complete, String jmhJson)
            throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.set("environment", MAPPER.valueToTree(environment));
        root.put("complete", complete);
        root.set("benchmarks", MAPPER.readTree(jmhJson));
        AtomicFiles.writeString(target, MAPPER.writeValueAsString(root) + "\n");
    }

    /** Reads every {@code *.json} file of {@code dir}, sorted by name. */
    public static List<JmhRun> readAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such directory (expected JMH results *.json"
                    + " in it)");
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

    /** The {@code *.json} files of the directory {@code dir}, sorted by name. */
    static List<Path> jsonFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot list: " + e.getMessage());
        }
    }

    /** Reads one results file of either shape. */
    public static JmhRun read(Path file) {
        JsonNode root = parse(file);
        if (root.isArray()) {
            return new JmhRun(file, plainEnvironment(root), true, results(file, root));
        }
        if (root.isObject() && FORMAT.equals(root.path("format").asText())) {
            JsonNode benchmarks = root.path("benchmarks");
            if (!benchmarks.isArray()) {
                throw bad(file, "'benchmarks' is not an array of JMH results");
            }
            RunEnvironment env;
            try {
                env = MAPPER.treeToValue(root.path("environment"), RunEnvironment.class);
            } catch (JsonProcessingException e) {
                throw bad(file, "'environment' does not parse: " + firstLine(e.getOriginalMessage()));
            }
            return new JmhRun(file, env, root.path("complete").asBoolean(false), results(file, benchmarks));
        }
        throw bad(file, "not JMH results: expected JMH's JSON array (-rf json) or a " + FORMAT + " object");
    }

    /** What plain JMH JSON tells of its environment: the JVM of its first result, nothing else. */
    private static RunEnvironment plainEnvironment(JsonNode array) {
        JsonNode first = array.path(0);
        String jdk = !first.isObject() ? "not recorded" : first.path("vmName").asText("?") + " "
                + first.path("vmVersion").asText("?") + " (JDK " + first.path("jdkVersion").asText("?") + ")";
        String none = "not recorded (plain JMH JSON)";
        return new RunEnvironment(jdk, none, none, 0, none, none, Double.NaN, Double.NaN, "");
    }

    /** Parses {@code file} as JSON; every failure is one line naming the file. */
    static JsonNode parse(Path file) {
        try {
            return MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw bad(file, "no such file");
        } catch (JsonProcessingException e) {
            throw bad(file, "not valid JSON: " + firstLine(e.getOriginalMessage()) + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw bad(file, "cannot read: " + e.getMessage());
        }
    }

    private static List<JmhResult> results(Path file, JsonNode array) {
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

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException(file + ": " + what);
    }
}
