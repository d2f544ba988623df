package dev.kmapstress.cli;

import dev.kmapstress.kernelcheck.KernelCheck;
import dev.kmapstress.kernelcheck.KernelCheck.Comparison;
import dev.kmapstress.kernelcheck.KernelCheckException;
import dev.kmapstress.kernelcheck.KernelScript;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.results.AtomicFiles;
import dev.kmapstress.scenario.Script;
import dev.kmapstress.scenario.ScriptParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kmap-stress kernel-check FILE...}: runs each scenario inside Debian's 6.1 i386 kernel
 * under qemu and on the model, and diffs the two outputs (see kernel-check/README.md). Exit 0
 * when every scenario printed the same lines on both, 1 when one differs (the diff printed), 2
 * for bad input or missing tools, or a scenario the kernel cannot run (named on stderr; the
 * other files are still checked).
 */
@Command(name = "kernel-check", mixinStandardHelpOptions = true,
        description = "Runs scenarios in the real Linux 6.1 i386 kernel (qemu) and diffs them with the model.")
final class KernelCheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Scenario scripts.")
    List<Path> files = List.of();

    @Option(names = "--install", description = "First install what the check needs (as root:"
            + " qemu, the i686 cross compiler, Debian's i386 kernels into the cache); without root,"
            + " print the commands.")
    boolean install;

    @Option(names = "--profile", paramLabel = "PROFILE", description = "x86-pae (686-pae kernel)"
            + " or x86-4g (686 kernel); default: the script's. PKMAP addresses in the script move"
            + " to the same slots of the profile's window.")
    String profile;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs (default: the script's).")
    Integer cpus;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write NAME.PROFILE.model.out,"
            + " .kernel.out, .serial.log (and .diff when different) into DIR.")
    Path out;

    @Option(names = "--tools", paramLabel = "DIR", description = "The kernel-check/ folder of the"
            + " checkout (default: found from the jar's location).")
    Path tools;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path dir = tools != null ? tools : defaultTools();
        if (out != null) {
            Outputs.directory("--out", out); // before the boots, which take minutes
        }
        if (install) {
            int code = new ProcessBuilder(dir.resolve("install.sh").toString()).inheritIO().start().waitFor();
            if (code != 0 || files.isEmpty()) {
                return code == 0 ? 0 : 2;
            }
        } else if (files.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give scenario FILEs, or --install");
        }
        Profile target = profile == null ? null : Profile.parse(profile);
        PrintWriter o = spec.commandLine().getOut();
        KernelCheck check = new KernelCheck(dir);
        int worst = 0;
        for (Path file : files) {
            try {
                worst = Math.max(worst, check(check, file, target, o));
            } catch (KernelCheckException e) {
                // One scenario the kernel cannot run does not stop the others: exit 2 at the end.
                spec.commandLine().getErr().println("kernel-check: " + e.getMessage());
                spec.commandLine().getErr().flush();
                worst = Errors.USAGE;
            }
        }
        return worst;
    }

    /** Checks one scenario, prints the verdict (and the diff); 0 identical, 1 different. */
    private int check(KernelCheck check, Path file, Profile target, PrintWriter o)
            throws IOException, InterruptedException {
        Script script = parse(file);
        if (target != null || cpus != null) {
            script = KernelScript.retarget(script, target != null ? target : script.config().profile(), cpus);
        }
        Comparison c = check.check(script);
        o.println(String.format(Locale.ROOT, "%s: %s on Debian's %s kernel, %d CPUs: %s"
                + " (%d lines; boot %.1f s)", file, script.config().profile().id(),
                c.script().flavour(), script.config().cpus(),
                c.identical() ? "identical" : "DIFFERENT", c.kernel().size(), c.bootSeconds()));
        c.diff().forEach(o::println);
        o.flush();
        if (out != null) {
            write(file, script, c);
        }
        return c.identical() ? 0 : 1;
    }

    private static Script parse(Path file) {
        return ScriptParser.parse(file.toString(), InputFiles.read("FILE", file.toString()), List.of());
    }

    private void write(Path file, Script script, Comparison c) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.scenario$", "") + "."
                + script.config().profile().id();
        AtomicFiles.writeString(out.resolve(name + ".model.out"), lines(c.model()));
        AtomicFiles.writeString(out.resolve(name + ".kernel.out"), lines(c.kernel()));
        AtomicFiles.writeString(out.resolve(name + ".serial.log"), c.serial());
        Path diff = out.resolve(name + ".diff");
        if (c.identical()) {
            Files.deleteIfExists(diff);
        } else {
            AtomicFiles.writeString(diff, lines(c.diff()));
        }
    }

    private static String lines(List<String> lines) {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    /** The checkout's kernel-check/ folder: the jar sits in core/target/. */
    private static Path defaultTools() {
        try {
            Path jar = Path.of(KernelCheckCommand.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            return jar.getParent().getParent().getParent().resolve("kernel-check");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("kernel-check");
        }
    }
}
