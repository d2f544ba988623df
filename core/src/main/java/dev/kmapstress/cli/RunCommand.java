package dev.kmapstress.cli;

import dev.kmapstress.scenario.ScenarioResult;
import dev.kmapstress.scenario.ScenarioRunner;
import dev.kmapstress.scenario.Script;
import dev.kmapstress.scenario.ScriptParser;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kmap-stress run FILE}: replays a scenario script step by step (see
 * {@link dev.kmapstress.scenario.ScriptParser} for the language). Exit 0 if every {@code expect}
 * holds, 1 at the first line that does not (its line number and what was seen on stderr), 2 for
 * a script that does not parse.
 */
@Command(name = "run", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = "Runs a scenario script: CPUs as threads, one step at a time, one line per step.")
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The scenario script ('-' reads standard input).")
    String file;

    @Option(names = "--trace", description = "Also print each step's internal steps (locks, counts,"
            + " PTEs, flushes, IPIs, sleeps, wake-ups), indented under it.")
    boolean trace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Script script = ScriptParser.parse(file, InputFiles.read("scenario", file), SettingOptions.sets(spec));
        ScenarioResult r = ScenarioRunner.run(script, trace, spec.commandLine().getOut());
        if (!r.passed()) {
            spec.commandLine().getErr().println(r.failure());
            spec.commandLine().getErr().flush();
        }
        return r.exitCode();
    }
}
