package dev.kmapstress.cli;

import dev.kmapstress.results.AtomicFiles;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Refuses, before anything runs, an output a command could write only at its end: a long run's
 * results must not be lost to a path that could never be written. Bad input: one line naming
 * the option, exit 2, nothing written.
 */
final class Outputs {

    private Outputs() {
    }

    /** Refuses {@code file} (given as {@code option}) unless a results file can be written there. */
    static void file(String option, Path file) {
        refuse(option, file, AtomicFiles.cannotWrite(file), "must be a file in a directory that can be written");
    }

    /** Refuses {@code dir} (given as {@code option}) unless files can be written into it (it may not exist yet). */
    static void directory(String option, Path dir) {
        refuse(option, dir, AtomicFiles.cannotWriteIn(dir), "must be a directory that can be written or created");
    }

    private static void refuse(String option, Path path, Optional<String> why, String allowed) {
        if (why.isPresent()) {
            throw new IllegalArgumentException(option + " " + path + ": " + why.get() + "; " + allowed);
        }
    }
}
