package dev.kmapstress.cli;

import dev.kmapstress.compare.RoundServer;
import dev.kmapstress.results.Environment;
import dev.kmapstress.results.ResultsFiles;
import dev.kmapstress.results.TortureFile;
import dev.kmapstress.torture.ProgressBarOutput;
import dev.kmapstress.torture.RunOutput;
import dev.kmapstress.torture.TortureConfig;
import dev.kmapstress.torture.TortureResult;
import dev.kmapstress.torture.TortureRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmap-stress torture}: one locktorture-style run (see
 * {@link dev.kmapstress.torture.TortureRunner}). Exit 0 after {@code End of test: SUCCESS},
 * 1 after {@code FAILURE}, 2 for bad input (nothing run, nothing written). Ctrl-C ends the
 * run with the summary so far and {@code End of test: INTERRUPTED} (exit 130) unless something
 * failed first.
 */
@Command(name = "torture", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = SettingOptions.class,
        description = {"Tortures the kmap machinery as locktorture does a lock: one worker per CPU maps,"
                + " stamps, holds, verifies and unmaps pages, with statistics every interval, a hung-task"
                + " watchdog and a verdict: End of test: SUCCESS (exit 0) or FAILURE (exit 1)."})
final class TortureCommand implements Callable<Integer> {

    /** Exit status of a run cut short by Ctrl-C (128 + SIGINT, as a shell reports it). */
    static final int INTERRUPTED = 130;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the results (configuration, environment, intervals, summary, verdict) as JSON.")
    Path json;

    @Option(names = "--serve-rounds", hidden = true,
            description = "Serve compare's rounds of this configuration on standard input and output (a compare fork).")
    boolean serveRounds;

    @Mixin
    TortureOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TortureConfig config = options.build(Set.of(), b -> b);
        if (serveRounds) {
            return RoundServer.serve(config, new BufferedReader(new InputStreamReader(System.in,
                    StandardCharsets.UTF_8)), System.out);
        }
        if (json != null) {
            Outputs.file("--json", json);
        }
        RunOutput out = options.quiet || System.console() == null
                ? RunOutput.plain(spec.commandLine().getOut()) : new ProgressBarOutput(System.out);
        Environment env = Environment.capture(Main.command(spec), "");
        try (CtrlC c = CtrlC.interruptsThisThread()) {
            TortureResult result = new TortureRunner(config, out).run();
            if (json != null) {
                ResultsFiles.write(json, new TortureFile(json, env.finished(), result));
                spec.commandLine().getOut().println("results: " + json);
            }
            return result.success() ? 0 : result.failed() ? 1 : INTERRUPTED;
        }
    }
}
