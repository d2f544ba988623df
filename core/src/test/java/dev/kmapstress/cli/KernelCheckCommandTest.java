package dev.kmapstress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kernel-check's command line without qemu: a stand-in kcheck.sh plays the kernel by writing a
 * canned serial console, so the verdicts, the diff, the files and the exit codes are tested in
 * the default build (the real boots are in KernelScenariosTest, -Pkernel).
 */
class KernelCheckCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        CliRun.Result r = CliRun.run(args);
        out.write(r.out());
        err.write(r.err());
        return r.exit();
    }

    private String file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }

    /** A kcheck.sh whose "kernel" prints {@code lines} on the serial console. */
    private String tools(String... lines) throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Path sh = tools.resolve("kcheck.sh");
        Files.writeString(sh, "#!/bin/sh\n[ \"$1\" = boot ] || exit 2\nprintf '%s\\n' "
                + "'Linux version 6.1.0' 'KCHECK start 3 steps on 2 CPUs' " + String.join(" ",
                        java.util.Arrays.stream(lines).map(l -> "'" + l + "'").toList())
                + " 'KCHECK end done' > \"$5\"\n");
        Files.setPosixFilePermissions(sh, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tools.toString();
    }

    private static final String SCRIPT = """
            machine profile=x86-pae cpus=2 last-pkmap=4 highmem-pages=8
            expect cpu0 kmap p0 = 0xff001000
            expect page_address p0 = 0xff001000
            expect cpu1 read 0xff002000 0 = oops
            expect log PAGE_FAULT
            """;

    @Test
    void exitZeroAndTheFilesWhenTheKernelPrintsWhatTheModelPrints() throws IOException {
        String f = file("a.scenario", SCRIPT);
        String tools = tools("KCHECK step 0 = 0xff001000", "KCHECK step 1 = 0xff001000",
                "KCHECK fault ff002000", "KCHECK step 2 = oops");
        assertThat(run("kernel-check", "--tools", tools, "--out", dir.resolve("res").toString(), f)).isZero();
        assertThat(out.toString()).startsWith(f + ": x86-pae on Debian's 686-pae kernel, 2 CPUs: identical (4 lines;");
        assertThat(Files.readString(dir.resolve("res/a.x86-pae.kernel.out"))).isEqualTo("""
                cpu0 kmap p0 = 0xff001000
                page_address p0 = 0xff001000
                cpu1 read 0xff002000 0 = oops
                BUG: unable to handle page fault for address: ff002000
                """);
        assertThat(dir.resolve("res/a.x86-pae.model.out")).hasSameTextualContentAs(dir.resolve("res/a.x86-pae.kernel.out"));
        assertThat(dir.resolve("res/a.x86-pae.serial.log")).exists();
        assertThat(dir.resolve("res/a.x86-pae.diff")).doesNotExist();
    }

    @Test
    void exitOneWithTheDiffInTheScenarioFormat() throws IOException {
        String f = file("a.scenario", SCRIPT);
        String tools = tools("KCHECK step 0 = 0xff002000", "KCHECK step 1 = 0xff002000",
                "KCHECK fault ff002000", "KCHECK step 2 = oops");
        assertThat(run("kernel-check", "--tools", tools, f)).isEqualTo(1);
        assertThat(out.toString()).contains(": DIFFERENT (4 lines;", "-cpu0 kmap p0 = 0xff001000",
                "+cpu0 kmap p0 = 0xff002000", "-page_address p0 = 0xff001000", "+page_address p0 = 0xff002000");
    }

    @Test
    void anotherProfileMovesTheScriptsPkmapAddresses() throws IOException {
        String f = file("a.scenario", SCRIPT);
        String tools = tools("KCHECK step 0 = 0xfec01000", "KCHECK step 1 = 0xfec01000",
                "KCHECK fault fec02000", "KCHECK step 2 = oops");
        assertThat(run("kernel-check", "--tools", tools, "--profile", "x86-4g", f)).isZero();
        assertThat(out.toString()).contains("x86-4g on Debian's 686 kernel, 2 CPUs: identical");
    }

    @Test
    void exitTwoForWhatTheKernelCannotRunAndTheOtherFilesAreStillChecked() throws IOException {
        String bad = file("until.scenario", "machine cpus=2\ncpu0 kmap p0 until spin_unlock kmap_lock\n");
        String good = file("a.scenario", SCRIPT);
        String tools = tools("KCHECK step 0 = 0xff001000", "KCHECK step 1 = 0xff001000",
                "KCHECK fault ff002000", "KCHECK step 2 = oops");
        assertThat(run("kernel-check", "--tools", tools, bad, good)).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("kernel-check: " + bad + ":2: 'until': a kernel function"
                + " cannot be paused half-way from a module\n");
        assertThat(out.toString()).contains(good + ": x86-pae on Debian's 686-pae kernel, 2 CPUs: identical");
    }

    /** The repository's kcheck.sh, with an empty kernel cache: its refusal is named kernel-check's once. */
    @Test
    void theToolsRefusalIsOneLineNamedOnce() throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Path sh = tools.resolve("kcheck.sh");
        Path empty = Files.createDirectories(dir.resolve("empty-cache"));
        Files.writeString(sh, "#!/bin/sh\nKMAP_STRESS_KERNEL_CACHE='" + empty + "' exec '"
                + Path.of("../kernel-check/kcheck.sh").toAbsolutePath().normalize() + "' \"$@\"\n");
        Files.setPosixFilePermissions(sh, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(run("kernel-check", "--tools", tools.toString(), file("a.scenario", SCRIPT))).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("kernel-check: no kernels in " + empty
                + ": run ./kmap-stress kernel-check --install (as root)\n");
    }

    @Test
    void exitTwoWithoutFilesOrTools() throws IOException {
        assertThat(run("kernel-check")).isEqualTo(2);
        assertThat(err.toString()).contains("give scenario FILEs, or --install");
        String f = file("a.scenario", SCRIPT);
        assertThat(run("kernel-check", "--tools", dir.resolve("none").toString(), f)).isEqualTo(2);
        assertThat(err.toString()).contains("kcheck.sh: run from a kmap-stress checkout");
    }
}
