package dev.kmapstress.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two real boots of {@code examples/boot} (Debian 6.1 686-pae and 686,
 * 2 GB, QEMU): the model, given each log's own BIOS-e820 lines and command line, prints every
 * line of the kinds it models exactly as the log has them, in the log's order.
 */
class BootExamplesTest {

    private static final Pattern TIMESTAMP = Pattern.compile("^\\[\\s*\\d+\\.\\d+\\] ");
    /** The kinds of kernel line the model reproduces, recognized by their fixed parts. */
    private static final List<String> MODELLED = List.of("BIOS-provided physical RAM map:",
            "BIOS-e820: ", "user-defined physical RAM map:", "user: [mem ", "Malformed early option",
            "last_pfn = ", "MB HIGHMEM available.", "MB LOWMEM available.", "  mapped low ram: ",
            "  low ram: ", "highmem size (", "highmem pages available", "Zone ranges:", "  DMA ",
            "  Normal ", "  HighMem ", "Movable zone start", "Early memory node ranges", "  node ",
            "Initmem setup node", "On node ", "Registered nosave memory",
            "available for PCI devices", "Kernel command line: ", "Initializing HighMem",
            "Initializing Movable", "Memory: ");
    /** Figures of the Memory: line that depend on the kernel image, which the model prints as '?'. */
    private static final Pattern IMAGE_FIGURES = Pattern.compile(
            "\\d+K( kernel code| rwdata| rodata| init| bss| reserved| cma-reserved)");

    @ParameterizedTest
    @CsvSource({"pae-m2048.log, X86_PAE", "np-m2048.log, X86_4G"})
    void reproducesTheLoggedLines(String log, BootProfile profile) {
        String text = TestMaps.read(TestMaps.example(log));

        BootResult r = Boot.fromLog(profile, text);

        assertThat(r.kernelLines()).containsExactlyElementsOf(expectedLines(text));
    }

    @ParameterizedTest
    @CsvSource({"pae-m2048.log, x86-pae", "np-m2048.log, x86-4g"})
    void cliReproducesTheLoggedLinesFromAnE820File(String log, String profile, @TempDir Path tmp)
            throws Exception {
        String text = TestMaps.read(TestMaps.example(log));
        BootInput.BootLog input = BootInput.parseLog(text);
        Path e820 = tmp.resolve("e820.txt");
        Files.write(e820, text.lines().filter(l -> l.contains("BIOS-e820: ")).toList());
        StringWriter out = new StringWriter();

        int exit = Main.commandLine().setOut(new PrintWriter(out)).execute("boot", "--profile",
                profile, "--e820", e820.toString(), "--cmdline", input.cmdline());

        assertThat(exit).isZero();
        List<String> printed = out.toString().lines().toList();
        assertThat(printed.subList(0, printed.indexOf(""))).containsExactlyElementsOf(expectedLines(text));
        assertThat(printed.get(printed.indexOf("") + 1)).isEqualTo(BootResult.SECTION);
    }

    @ParameterizedTest
    @CsvSource({"pae-m2048.log, X86_PAE", "np-m2048.log, X86_4G"})
    void logNamesItsProfileThroughMaxArchPfn(String log, BootProfile profile) {
        assertThat(BootInput.parseLog(TestMaps.read(TestMaps.example(log))).profile()).contains(profile);
    }

    @ParameterizedTest
    @CsvSource({"pae-m2048.log", "np-m2048.log"})
    void qemuTestMapIsTheLoggedMap(String log) {
        List<E820Region> logged = BootInput.parseLog(TestMaps.read(TestMaps.example(log))).e820();

        assertThat(BootInput.parseE820(TestMaps.qemu(2 * TestMaps.GB))).isEqualTo(logged);
    }

    /** The log's lines of the modelled kinds, timestamps cut, image figures masked. */
    private static List<String> expectedLines(String log) {
        return log.lines().map(l -> TIMESTAMP.matcher(l).replaceFirst(""))
                .filter(l -> MODELLED.stream().anyMatch(l::contains))
                .map(l -> l.startsWith("Memory: ") ? maskImageFigures(l) : l)
                .toList();
    }

    private static String maskImageFigures(String memoryLine) {
        String masked = memoryLine.replaceFirst("^Memory: \\d+K/", "Memory: ?K/");
        return IMAGE_FIGURES.matcher(masked).replaceAll("?K$1");
    }
}
