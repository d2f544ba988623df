package dev.kmapstress.cli;

import dev.kmapstress.torture.Durations;
import dev.kmapstress.torture.ProgressBarOutput;
import dev.kmapstress.torture.ResultsFiles;
import dev.kmapstress.torture.RunOutput;
import dev.kmapstress.torture.TortureConfig;
import dev.kmapstress.torture.TortureResult;
import dev.kmapstress.torture.TortureRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmap-stress torture}: one locktorture-style run (see
 * {@link dev.kmapstress.torture.TortureRunner}). Exit 0 after {@code End of test: SUCCESS},
 * 1 after {@code FAILURE}, 2 for bad input (nothing run, nothing written). Ctrl-C ends the
 * run with the summary so far.
 */
@Command(name = "torture", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tortures the kmap machinery as locktorture does a lock: one worker per CPU maps,"
                + " stamps, holds, verifies and unmaps pages, with statistics every interval, a hung-task"
                + " watchdog and a verdict: End of test: SUCCESS (exit 0) or FAILURE (exit 1)."})
final class TortureCommand implements Callable<Integer> {

    /** How long Ctrl-C waits for the summary and results file before the JVM exits anyway. */
    private static final long SHUTDOWN_WAIT_SECONDS = 60;

    @Option(names = "--duration", defaultValue = TortureConfig.DEFAULT_DURATION, paramLabel = "DURATION",
            description = "How long to run: 500ms, 30s, 10m, 1h (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--lock", defaultValue = "ticket", paramLabel = "NAME",
            description = "Lock strategy of kmap_lock and the other spinlocks (default: ${DEFAULT-VALUE}).")
    String lock;

    @Option(names = "--wait-strategy", defaultValue = "kernel", paramLabel = "NAME",
            description = "How tasks wait for a free PKMAP slot (default: ${DEFAULT-VALUE}).")
    String waitStrategy;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the results (configuration, environment, intervals, summary, verdict) as JSON.")
    Path json;

    @Mixin
    TortureOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TortureConfig config = TortureOptions.build(options.builder(TortureConfig.DEFAULT_WORKLOAD,
                        TortureConfig.DEFAULT_TASKS_PER_CPU)
                .duration(Durations.positive("--duration", duration))
                .lock(lock)
                .waitStrategy(waitStrategy));
        if (json != null && Files.isDirectory(json)) {
            throw new IllegalArgumentException("--json " + json + ": is a directory; must be a file to write");
        }
        RunOutput out = options.quiet || System.console() == null
                ? RunOutput.plain(spec.commandLine().getOut()) : new ProgressBarOutput(System.out);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = interruptOnShutdown(Thread.currentThread(), finished);
        try {
            TortureResult result = new TortureRunner(config, out).run();
            if (json != null) {
                ResultsFiles.writeJson(json, result);
                spec.commandLine().getOut().println("results: " + json);
            }
            return result.success() ? 0 : 1;
        } finally {
            finished.countDown();
            removeHook(hook);
        }
    }

    /**
     * Ctrl-C: interrupts the run (which then stops its workers and prints the summary so far)
     * and lets the JVM exit once the command has finished writing.
     */
    static Thread interruptOnShutdown(Thread run, CountDownLatch finished) {
        Thread hook = new Thread(() -> {
            run.interrupt();
            try {
                finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kmap-stress-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (Ctrl-C): the hook is running, nothing to remove.
        }
    }
}
