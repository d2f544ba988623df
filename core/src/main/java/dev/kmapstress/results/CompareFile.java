package dev.kmapstress.results;

import dev.kmapstress.compare.CompareResult;
import java.nio.file.Path;

/**
 * A compare results file (schema {@code kmap-stress-compare/2}, or a version-1 file read as
 * one): the environment the comparison had and its result.
 */
public record CompareFile(Path source, Environment environment, CompareResult comparison)
        implements ResultsFiles.Read {
}
