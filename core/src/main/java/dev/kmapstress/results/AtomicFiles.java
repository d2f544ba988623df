package dev.kmapstress.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Writes results files atomically: the bytes go to a temporary file in the target's folder,
 * which is then renamed over the target, so a reader sees the old file or the new one, never
 * half of one, and a crash leaves at most a {@code .tmp} file behind. {@link #cannotWrite} and
 * {@link #cannotWriteIn} tell before a long run whether its results could be written at its end.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code bytes}, creating its folder if needed.
     *
     * @throws IOException with the message {@code cannot write TARGET: WHY}
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = temporary(dir, target.getFileName().toString());
        try {
            Files.createDirectories(dir);
            try {
                // Not createTempFile: its owner-only permissions would end up on the target.
                Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + why(e, tmp), e);
        }
    }

    /** A temporary file's name in {@code dir}, hidden and unique to this process and moment. */
    private static Path temporary(Path dir, String name) {
        return dir.resolve("." + name + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
    }

    /** Replaces {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What would keep {@link #write} from writing {@code target}, or empty if nothing would: the
     * target must not be a folder, and its folder must pass {@link #cannotWriteIn}.
     */
    public static Optional<String> cannotWrite(Path target) {
        return Files.isDirectory(target) ? Optional.of("is a directory")
                : cannotWriteIn(target.toAbsolutePath().getParent());
    }

    /**
     * What would keep {@link #write} from writing files into the folder {@code dir}, or empty if
     * nothing would. The nearest folder on the way that exists must take a new file: one is
     * created there and deleted at once (a permission, a read-only mount or /proc shows only
     * then). Nothing is left behind and no folder is created, so a run refused for another
     * reason has written nothing.
     */
    public static Optional<String> cannotWriteIn(Path dir) {
        Path existing = dir.toAbsolutePath();
        // Without following links: a link to nothing does not exist when followed, and the walk
        // would pass it by, to a parent that takes the probe while the link refuses the results.
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (!Files.exists(existing)) {
            return Optional.of(existing + " is a symbolic link to nothing");
        }
        if (!Files.isDirectory(existing)) {
            return Optional.of(existing + " is a file, not a directory");
        }
        Path probe = temporary(existing, "kmap-stress-probe");
        try {
            Files.delete(Files.createFile(probe));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(existing + " cannot take new files: " + why(e, probe));
        }
    }

    /**
     * Why {@code e} happened, in words: the system's reason, naming the file it concerns unless
     * that is {@code quiet} (a temporary file the user never named).
     */
    private static String why(IOException e, Path quiet) {
        if (!(e instanceof FileSystemException f)) {
            return e.getMessage();
        }
        String reason = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "no such file or directory"
                // What createDirectories meets where a folder should be.
                : e instanceof FileAlreadyExistsException ? "exists and is not a directory"
                : f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        String file = f.getFile();
        return file == null || Path.of(file).equals(quiet) ? reason : file + ": " + reason;
    }
}
