package dev.kmapstress.torture;

import dev.kmapstress.cli.CliRun;
import dev.kmapstress.machine.Profile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

/** Runs torture in-process for tests, keeping what it printed. */
public final class TestRuns {

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

    /** The command line's exit code, standard output and standard error. */
    public record Cli(int exit, String out, String err) {
    }

    public static Cli cli(String... args) {
        CliRun.Result r = CliRun.run(args);
        return new Cli(r.exit(), r.out(), r.err());
    }
}
