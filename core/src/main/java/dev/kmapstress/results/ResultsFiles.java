package dev.kmapstress.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmapstress.compare.CompareResult;
import dev.kmapstress.compare.IntervalChart;
import dev.kmapstress.compare.Ranking;
import dev.kmapstress.torture.TortureResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads and writes the JSON results files of torture and compare. A file is one JSON object:
 * {@code schema} (see {@link Schema}), {@code environment} (an {@link Environment}), then the
 * fields of the harness's result record. Writing is atomic ({@link AtomicFiles}); reading maps
 * the file back onto the same records with Jackson, so a reader uses typed fields, never JSON
 * paths.
 *
 * <p>Every refusal is an {@link IllegalArgumentException} whose message is one line naming the
 * file and what is wrong with it.
 */
public final class ResultsFiles {

    /**
     * The mapper of results files: indented, fields in declaration order; a reader skips fields
     * it does not know, so a file keeps reading when later versions add fields.
     */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ResultsFiles() {
    }

    /** The JSON mapper of results files. */
    public static ObjectMapper json() {
        return JSON;
    }

    /** Writes a torture run's results file, atomically. */
    public static void write(Path target, TortureFile file) throws IOException {
        write(target, Schema.TORTURE, file.environment(), file.run());
    }

    /** Writes a comparison's results file, atomically. */
    public static void write(Path target, CompareFile file) throws IOException {
        write(target, Schema.COMPARE, file.environment(), file.comparison());
    }

    /**
     * Writes a comparison's results file {@code BASE.json} into {@code dir}, then draws its charts
     * as {@code BASE-*.png} and writes the file again naming them, each atomically. The rounds are
     * on disk before any chart is drawn, so a chart that cannot be drawn or written costs only
     * itself: {@code warn} is told why, and the file names only the charts that exist.
     *
     * @return the comparison as written, with its charts
     * @throws IOException the results file could not be written
     */
    public static CompareFile writeCompare(Path dir, String base, CompareFile file, Consumer<String> warn)
            throws IOException {
        Path json = dir.resolve(base + ".json");
        CompareResult c = file.comparison().withCharts(List.of());
        write(json, new CompareFile(json, file.environment(), c));
        String setting = c.config().get("profile") + ", " + c.config().get("rounds") + " rounds of "
                + c.config().get("duration") + " each";
        List<String> names = new ArrayList<>();
        for (Ranking.Group g : c.groups()) {
            try {
                for (IntervalChart.Png png : IntervalChart.draw(base, g, setting)) {
                    AtomicFiles.write(dir.resolve(png.name()), png.bytes());
                    names.add(png.name());
                }
            } catch (IOException e) {
                warn.accept("the charts of workload " + g.workload() + ", " + g.cpus() + " CPUs are missing: "
                        + e.getMessage());
            }
        }
        CompareFile written = new CompareFile(json, file.environment(), c.withCharts(names));
        if (!names.isEmpty()) {
            write(json, written);
        }
        return written;
    }

    private static void write(Path target, Schema schema, Environment environment, Object body)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", schema.id());
        root.set("environment", JSON.valueToTree(environment));
        root.setAll((ObjectNode) JSON.valueToTree(body));
        AtomicFiles.write(target, JSON.writeValueAsBytes(root));
    }

    /** A results file read back: a torture run's or a comparison's. */
    public sealed interface Read permits TortureFile, CompareFile {
        /** Where it was read from (null for one not read from a file). */
        Path source();
    }

    /** Reads a torture or compare results file, refusing any other. */
    public static Read read(Path file) {
        JsonNode root = parse(file);
        String id = root.path("schema").asText("");
        Schema schema = Schema.byId(id);
        if (schema != Schema.TORTURE && schema != Schema.COMPARE && schema != Schema.COMPARE_V1) {
            throw bad(file, "not a torture or compare results file: expected 'schema' "
                    + Schema.ids(Schema.TORTURE, Schema.COMPARE, Schema.COMPARE_V1) + ", found '" + id + "'");
        }
        Environment env = field(file, root.path("environment"), Environment.class, "environment");
        return switch (schema) {
            case TORTURE -> new TortureFile(file, env, field(file, root, TortureResult.class, "a torture result"));
            case COMPARE_V1 -> new CompareFile(file, env,
                    CompareV1.upgrade(field(file, root, CompareV1.class, "a version-1 comparison")));
            default -> new CompareFile(file, env, field(file, root, CompareResult.class, "a comparison"));
        };
    }

    private static <T> T field(Path file, JsonNode node, Class<T> type, String what) {
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw bad(file, "does not read as " + what + ": " + firstLine(e.getOriginalMessage()));
        }
    }

    /** The {@code *.json} files of the directory {@code dir}, sorted by name. */
    public static List<Path> jsonFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot list: " + e.getMessage());
        }
    }

    /** Parses {@code file} as JSON; every failure is one line naming the file. */
    public static JsonNode parse(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw bad(file, "no such file");
        } catch (JsonProcessingException e) {
            throw bad(file, "not valid JSON: " + firstLine(e.getOriginalMessage()) + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw bad(file, "cannot read: " + e.getMessage());
        }
    }

    /** The first line of a parser's message. */
    public static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A refusal of {@code file}: one line, the file first. */
    public static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException(file + ": " + what);
    }
}
