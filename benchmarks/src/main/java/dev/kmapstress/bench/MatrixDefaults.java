package dev.kmapstress.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every benchmark class inherits, and so what the full run uses when no option
 * overrides them: throughput in operations per microsecond, two forks, three warm-up and five
 * measured iterations of one second each. Command-line options ({@code -f}, {@code -wi},
 * {@code -i}, {@code -w}, {@code -r}) override them, as the quick run does.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public abstract class MatrixDefaults {
}
