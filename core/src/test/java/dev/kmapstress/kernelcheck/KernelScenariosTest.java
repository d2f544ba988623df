package dev.kmapstress.kernelcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.machine.Profile;
import dev.kmapstress.scenario.Script;
import dev.kmapstress.scenario.ScriptParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario of scenarios/ (and scenarios/faults/, run on the faithful model) that a module
 * can run prints the same lines in Debian's 6.1 kernels as in the model, on both x86 profiles.
 * Needs qemu, the cross compiler and the unpacked kernels ({@code ./kmap-stress kernel-check
 * --install} as root) and about half a minute per boot: only with {@code mvn -Pkernel}. A
 * scenario the kernel cannot run (a step with {@code until}) is skipped, saying why.
 */
@Tag("kernel")
class KernelScenariosTest {

    static Stream<Arguments> scenarios() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("kernel-check"))) {
            root = root.getParent();
        }
        Path top = root;
        try (Stream<Path> a = Files.list(top.resolve("scenarios"));
                Stream<Path> b = Files.list(top.resolve("scenarios/faults"))) {
            List<Path> files = Stream.concat(a, b).filter(p -> p.toString().endsWith(".scenario"))
                    .sorted().toList();
            return files.stream().flatMap(f -> Stream.of(Profile.X86_PAE, Profile.X86_4G)
                    .map(p -> Arguments.of(top.relativize(f).toString(), p, top)));
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("scenarios")
    void theKernelPrintsWhatTheModelPrints(String file, Profile profile, Path root) throws Exception {
        Script written = ScriptParser.parse(file, Files.readString(root.resolve(file), StandardCharsets.UTF_8), List.of());
        Profile own = written.config().profile();
        Assumptions.assumeTrue(own == Profile.X86_PAE || own == Profile.X86_4G, () -> file + " is written for " + own.id()
                + " (its addresses and its story are that profile's): no Debian i386 kernel runs it");
        Script script = KernelScript.retarget(written, profile, null);
        try {
            KernelScript.of(script);
        } catch (KernelCheckException e) {
            Assumptions.abort(e.getMessage());
        }
        KernelCheck.Comparison c = new KernelCheck(root.resolve("kernel-check")).check(script);
        assertThat(c.kernel()).as(String.join("\n", c.diff())).isEqualTo(c.model());
    }
}
