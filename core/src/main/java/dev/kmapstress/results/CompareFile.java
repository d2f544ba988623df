package dev.kmapstress.results;

import dev.kmapstress.compare.CompareResult;
import java.nio.file.Path;

/**
 * A compare results file (schema {@code kmap-stress-compare/1}): the environment the
 * comparison had and its result.
 */
public record CompareFile(Path source, Environment environment, CompareResult comparison)
        implements ResultsFiles.Read {
}
