package dev.kmapstress.results;

import dev.kmapstress.torture.TortureResult;
import java.nio.file.Path;

/**
 * A torture results file (schema {@code kmap-stress-torture/1}): the environment the run had
 * and the run's result.
 */
public record TortureFile(Path source, Environment environment, TortureResult run)
        implements ResultsFiles.Read {
}
