package dev.kmapstress.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmapstress.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmap-stress boot}: text and JSON output, and bad input as exactly one line on stderr,
 * exit code 2 and nothing on stdout.
 */
class BootCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private Path e820(String text) throws Exception {
        Path p = tmp.resolve("e820.txt");
        Files.writeString(p, text);
        return p;
    }

    private void assertRefusedWith(int exit, String line) {
        assertThat(exit).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("boot: " + line + "; try 'kmap-stress boot --help'"
                + System.lineSeparator());
    }

    @Test
    void printsKernelLinesThenTheSection() throws Exception {
        int exit = run("boot", "--profile", "x86-4g", "--e820", e820(TestMaps.qemu(1L << 30)).toString());

        assertThat(exit).isZero();
        assertThat(out.toString().lines()).startsWith("BIOS-provided physical RAM map:")
                .contains("", BootResult.SECTION, "Kernel command line: ");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void jsonIsTheResultAsJson() throws Exception {
        int exit = run("boot", "--profile", "x86-pae", "--e820", e820(TestMaps.qemu(1L << 30)).toString(),
                "--cmdline", "mem=768M", "--json");

        assertThat(exit).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).get("pfn").get("maxPfn").asText())
                .isEqualTo("0x30000");
    }

    @Test
    void dashReadsTheMapFromStdin() {
        java.io.InputStream saved = System.in;
        System.setIn(new java.io.ByteArrayInputStream(TestMaps.qemu(1L << 30).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        try {
            assertThat(run("boot", "--profile", "x86-pae", "--e820", "-")).isZero();
        } finally {
            System.setIn(saved);
        }
        assertThat(out.toString().lines()).contains("143MB HIGHMEM available.", "879MB LOWMEM available.");
    }

    @Test
    void malformedE820LineIsRefused() throws Exception {
        int exit = run("boot", "--profile", "x86-pae", "--e820",
                e820(TestMaps.qemu(1L << 30) + "BIOS-e820: [mem 0x100000000-] usable\n").toString());

        assertRefusedWith(exit, "e820 line 7: 'BIOS-e820: [mem 0x100000000-] usable': expected "
                + BootInput.E820_LINE);
    }

    @Test
    void unknownTypeIsRefused() throws Exception {
        int exit = run("boot", "--profile", "x86-pae", "--e820",
                e820(TestMaps.qemu(1L << 30).replaceFirst("reserved", "ROM")).toString());

        assertRefusedWith(exit, "e820 line 2: unknown type 'ROM'; expected one of " + E820Type.SPELLINGS);
    }

    @Test
    void unreadableSizeIsRefused() throws Exception {
        int exit = run("boot", "--profile", "x86-pae", "--e820", e820(TestMaps.qemu(1L << 30)).toString(),
                "--cmdline", "quiet vmalloc=big");

        assertRefusedWith(exit, "kernel command line vmalloc=big: expected " + KernelCmdline.SIZE_SYNTAX);
    }

    @Test
    void unknownProfileIsRefused() throws Exception {
        int exit = run("boot", "--profile", "x86-64", "--e820", e820(TestMaps.qemu(1L << 30)).toString());

        assertRefusedWith(exit, "unknown boot profile 'x86-64'; known: x86-pae, x86-4g");
    }

    @Test
    void missingFileIsRefused() {
        Path missing = tmp.resolve("none.txt");

        int exit = run("boot", "--profile", "x86-pae", "--e820", missing.toString());

        assertRefusedWith(exit, "--e820 " + missing + ": cannot read: no such file");
    }

    @Test
    void aFileThatIsNotTextIsRefusedInWords() throws Exception {
        Path binary = Files.write(tmp.resolve("e820.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});

        int exit = run("boot", "--profile", "x86-pae", "--e820", binary.toString());

        assertRefusedWith(exit, "--e820 " + binary + ": cannot read: not UTF-8 text");
    }

    @Test
    void aLongBadLineIsEchoedCutTo80Characters() throws Exception {
        String junk = "BIOS-e820: " + "x".repeat(5_000_000);

        int exit = run("boot", "--profile", "x86-pae", "--e820", e820(junk + "\n").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).hasLineCount(1).contains("'" + junk.substring(0, 80) + "... (5000011 characters)'")
                .hasSizeLessThan(400);
    }

    @Test
    void aBootLogIsBootedAsTortureBootDoes() {
        Path log = TestMaps.example("pae-m2048.log");

        int exit = run("boot", "--log", log.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString().lines()).contains("Kernel command line: " + BootInput.parseLog(
                TestMaps.read(log)).cmdline(), "1167MB HIGHMEM available.", "879MB LOWMEM available.");
    }

    @Test
    void aProfileThatContradictsTheLogIsRefused() {
        Path log = TestMaps.example("np-m2048.log");

        int exit = run("boot", "--profile", "x86-pae", "--e820", log.toString());

        assertRefusedWith(exit, "--profile x86-pae: the log " + log + " is of an x86-4g kernel; leave --profile"
                + " out or give x86-4g");
    }

    @Test
    void aBareMapNeedsAProfile() throws Exception {
        int exit = run("boot", "--e820", e820(TestMaps.qemu(1L << 30)).toString());

        assertRefusedWith(exit, "--profile: required for a bare e820 map; allowed: x86-pae, x86-4g");
    }
}
