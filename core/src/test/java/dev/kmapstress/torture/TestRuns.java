package dev.kmapstress.torture;

import dev.kmapstress.cli.CliRun;
import dev.kmapstress.machine.Profile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/** Runs torture in-process for tests, keeping what it printed. */
public final class TestRuns {

    /**
     * The longest run {@link #runUntil} tries: at the few thousand maps a second of a load of 35
     * on 2 CPUs, tens of thousands of maps (a quiet host does 200,000 to 450,000 a second).
     */
    static final long PATIENCE_MILLIS = 8_000;

    private TestRuns() {
    }

    /** A short faithful run's configuration: 2 CPUs, a fixed seed, the default watchdog. */
    public static TortureConfig.Builder quick(Profile profile, long millis) {
        return TortureConfig.builder(profile).cpus(2).seed(42).duration(Duration.ofMillis(millis))
                .statInterval(Duration.ofMillis(Math.max(1, millis / 2)));
    }

    /** A run and everything it printed. */
    public record Run(TortureResult result, String output) {
    }

    public static Run run(TortureConfig config) {
        StringWriter text = new StringWriter();
        TortureResult r = new TortureRunner(config, RunOutput.plain(new PrintWriter(text))).run();
        return new Run(r, text.toString());
    }

    /**
     * For a test that needs a run to have done something (every CPU a kmap, a task a sleep, a
     * flush), which a loaded host may not grant the CPUs within a short run: runs {@code config}
     * of {@code millis}, then of twice as long while {@code enough} fails, up to
     * {@link #PATIENCE_MILLIS}, and returns the first run it accepts. Only the amount of work is
     * waited for: every run must pass {@code check}, at once; when the longest run still did not
     * do enough, {@code enough}'s failure is the test's.
     */
    public static Run runUntil(LongFunction<TortureConfig> config, long millis, Consumer<Run> check,
            Consumer<Run> enough) {
        for (long ms = millis; ; ms *= 2) {
            Run r = run(config.apply(ms));
            check.accept(r);
            try {
                enough.accept(r);
                return r;
            } catch (AssertionError notYet) {
                if (2 * ms > PATIENCE_MILLIS) {
                    throw notYet;
                }
            }
        }
    }

    /** The command line's exit code, standard output and standard error. */
    public record Cli(int exit, String out, String err) {
    }

    public static Cli cli(String... args) {
        CliRun.Result r = CliRun.run(args);
        return new Cli(r.exit(), r.out(), r.err());
    }
}
