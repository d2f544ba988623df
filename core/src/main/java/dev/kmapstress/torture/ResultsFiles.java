package dev.kmapstress.torture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes results files atomically: the bytes go to a temporary file beside the target, which is
 * then renamed over it, so a reader never sees half a file and an interrupted run leaves
 * nothing behind but a {@code .tmp} file that git ignores.
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
        write(target, JSON.writeValueAsBytes(value));
    }

    /** Writes {@code bytes} to {@code target}, atomically, creating its directory if needed. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString() + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            readableByAll(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A temporary file is private to its owner; a results file is for everyone to read. */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: it has its own defaults.
        }
    }
}
