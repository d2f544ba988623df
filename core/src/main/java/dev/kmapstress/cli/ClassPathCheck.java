package dev.kmapstress.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The launcher puts {@value #VARIABLE} (your lock strategies' jars) on the class path, where
 * the JVM ignores an entry that does not exist. A mistyped jar would silently leave its locks
 * out, so kmap-stress refuses to start and names it.
 */
final class ClassPathCheck {

    static final String VARIABLE = "KMAP_STRESS_CLASSPATH";

    private ClassPathCheck() {
    }

    /** The refusal for this process's {@value #VARIABLE}, or "" when every entry exists. */
    static String missingEntries() {
        return missingEntries(System.getenv(VARIABLE));
    }

    /** The refusal for {@code value}, or "" when it is unset or every entry exists. */
    static String missingEntries(String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        List<String> missing = Arrays.stream(value.split(File.pathSeparator))
                .filter(e -> !e.isEmpty() && !Files.exists(Path.of(e))).toList();
        return missing.isEmpty() ? "" : "kmap-stress: " + VARIABLE + " names " + Errors.cut(String.join(", ", missing))
                + (missing.size() == 1 ? ", which does" : ", which do") + " not exist; it takes '"
                + File.pathSeparator + "'-separated jars or class directories holding lock strategies";
    }
}
