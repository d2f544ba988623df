package dev.kmapstress.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds JMH-shaped JSON and in-memory runs for tests: one result per {@link #add} call. */
final class JmhJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ArrayNode array = MAPPER.createArrayNode();
    private ObjectNode last;

    /** Adds a throughput result of {@code dev.kmapstress.bench.<name>}; params as k, v, k, v... */
    JmhJson add(String name, int threads, double score, double error, String... params) {
        return addMode(name, "thrpt", "ops/us", threads, score, error, params);
    }

    JmhJson addMode(String name, String mode, String unit, int threads, double score, double error,
            String... params) {
        last = array.addObject();
        last.put("jmhVersion", "1.37");
        last.put("benchmark", "dev.kmapstress.bench." + name);
        last.put("mode", mode);
        last.put("threads", threads);
        last.put("jdkVersion", "17.0.15");
        last.put("vmName", "OpenJDK 64-Bit Server VM");
        last.put("vmVersion", "17.0.15+6");
        ObjectNode p = last.putObject("params");
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        metric(last.putObject("primaryMetric"), score, error, unit);
        last.putObject("secondaryMetrics");
        return this;
    }

    /** Adds {@code -prof gc}'s bytes per operation to the last result. */
    JmhJson alloc(double bytesPerOp) {
        metric(((ObjectNode) last.get("secondaryMetrics")).putObject(JmhResult.ALLOCATION), bytesPerOp, 0.0, "B/op");
        return this;
    }

    /** Adds a group part's score to the last result. */
    JmhJson part(String method, double score, double error) {
        metric(((ObjectNode) last.get("secondaryMetrics")).putObject(method), score, error,
                last.get("primaryMetric").get("scoreUnit").asText());
        return this;
    }

    private static void metric(ObjectNode m, double score, double error, String unit) {
        m.put("score", score);
        if (Double.isNaN(error)) {
            m.put("scoreError", "NaN");
        } else {
            m.put("scoreError", error);
        }
        m.put("scoreUnit", unit);
    }

    String text() {
        return array.toString();
    }

    /** Writes plain JMH JSON to {@code file}. */
    Path write(Path file) throws IOException {
        Files.writeString(file, text());
        return file;
    }

    /** Writes the JSON as {@code dir/name} and reads it back as a run. */
    JmhRun run(Path dir, String name) throws IOException {
        return JmhFiles.read(write(dir.resolve(name)));
    }
}
