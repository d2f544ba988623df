package dev.kmapstress.torture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kmapstress.report.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The JSON of torture and compare results files, written atomically through
 * {@link AtomicFiles}: a reader never sees half a file.
 */
public final class ResultsFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsFiles() {
    }

    /** The JSON mapper of results files (indented, fields in declaration order). */
    public static ObjectMapper json() {
        return JSON;
    }

    /** Writes {@code value} as JSON to {@code target}, atomically. */
    public static void writeJson(Path target, Object value) throws IOException {
        AtomicFiles.write(target, JSON.writeValueAsBytes(value));
    }
}
