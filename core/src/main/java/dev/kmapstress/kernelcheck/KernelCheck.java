package dev.kmapstress.kernelcheck;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.kmapstress.scenario.ScenarioResult;
import dev.kmapstress.scenario.ScenarioRunner;
import dev.kmapstress.scenario.Script;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one scenario on both sides and compares them: the model ({@link ScenarioRunner#record})
 * and the real kernel (the {@code kcheck.sh boot} of the repository's {@code kernel-check/}
 * folder: our module inside Debian's 6.1 i386 kernel under qemu). Both outputs are normalised by
 * the same rules ({@link Normalise}) and diffed line by line.
 */
public final class KernelCheck {

    /** One comparison: both sides' lines, the diff (empty when identical), the boot's cost. */
    public record Comparison(KernelScript script, List<String> model, List<String> kernel,
            List<String> diff, String serial, double bootSeconds) {

        public Comparison {
            model = List.copyOf(model);
            kernel = List.copyOf(kernel);
            diff = List.copyOf(diff);
        }

        public boolean identical() {
            return model.equals(kernel);
        }
    }

    private final Path tools;

    /** {@code tools} is the repository's {@code kernel-check/} folder (kcheck.sh, install.sh). */
    public KernelCheck(Path tools) {
        this.tools = tools;
    }

    /** Runs {@code script} on the model and in the kernel, and compares. */
    public Comparison check(Script script) throws IOException, InterruptedException {
        KernelScript ks = KernelScript.of(script);
        List<String> model = model(script);
        Path work = Files.createTempDirectory("kernel-check");
        try {
            Path params = work.resolve("params");
            Path serial = work.resolve("serial.log");
            Files.writeString(params, ks.moduleParameters(), StandardCharsets.UTF_8);
            long start = System.nanoTime();
            try {
                boot(ks.flavour(), params, script.config().cpus(), serial);
            } catch (KernelCheckException e) {
                throw Files.exists(serial) ? new KernelCheckException(e.getMessage()
                        + "; serial log kept in " + keep(serial)) : e;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String console = Files.exists(serial) ? Files.readString(serial, StandardCharsets.ISO_8859_1) : "";
            KernelLog.Run run;
            try {
                run = KernelLog.read(console, ks);
            } catch (KernelCheckException e) {
                throw new KernelCheckException(e.getMessage() + "; serial log kept in " + keep(serial));
            }
            List<String> kernel = new ArrayList<>(run.lines());
            if (!run.finished()) {
                kernel.add("# the kernel did not finish the scenario (see its serial log)");
            }
            return new Comparison(ks, model, kernel, diff(model, kernel), console, seconds);
        } finally {
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    /** A copy of a boot's serial log that outlives the check, for a boot that went wrong. */
    private static Path keep(Path serial) throws IOException {
        Path kept = Files.createTempFile("kernel-check-serial-", ".log");
        Files.copy(serial, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return kept;
    }

    /** The model's output of {@code script}, normalised, ending where the model stopped. */
    public static List<String> model(Script script) {
        StringWriter text = new StringWriter();
        ScenarioResult r = ScenarioRunner.record(script, new PrintWriter(text));
        List<String> lines = new ArrayList<>(text.toString().lines().toList());
        if (!r.passed()) {
            script.lines().stream().filter(l -> l.line() == r.line()).findFirst()
                    .ifPresent(l -> lines.add(stopped(l)));
        }
        return Normalise.lines(lines);
    }

    /** The line both sides end with where a step could not be done. */
    static String stopped(Script.Line line) {
        return "# stopped at line " + line.line() + ": " + line.text();
    }

    /** A unified diff from the model's lines to the kernel's, in the scenario format; empty if equal. */
    public static List<String> diff(List<String> model, List<String> kernel) {
        if (model.equals(kernel)) {
            return List.of();
        }
        return UnifiedDiffUtils.generateUnifiedDiff("model", "kernel", model,
                DiffUtils.diff(model, kernel), 3);
    }

    private void boot(String flavour, Path params, int cpus, Path serial)
            throws IOException, InterruptedException {
        Path script = tools.resolve("kcheck.sh");
        if (!Files.isExecutable(script)) {
            throw new KernelCheckException("no " + script + ": run from a kmap-stress checkout"
                    + " (or give --tools DIR, the kernel-check/ folder)");
        }
        Process p = new ProcessBuilder(script.toString(), "boot", flavour, params.toString(),
                Integer.toString(cpus), serial.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int code = p.waitFor();
        if (code != 0) {
            throw new KernelCheckException(out.isEmpty() ? "kcheck.sh exited " + code : out);
        }
    }
}
