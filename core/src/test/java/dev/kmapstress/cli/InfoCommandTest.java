package dev.kmapstress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class InfoCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void printsTheLayoutUnderKernelNames() {
        assertThat(run("info", "--profile", "x86-4g")).isZero();
        assertThat(out.toString()).contains("PAGE_OFFSET 0xc0000000\n", "PKMAP_BASE 0xfec00000\n",
                "LAST_PKMAP 1024\n", "FIXADDR_TOP 0xfffff000\n", "FIX_KMAP_BEGIN 68\n",
                "FIX_KMAP_END 579\n", "KM_MAX_IDX 16\n", "VMALLOC_END 0xfebfe000\n",
                "VMALLOC_START 0xf73fe000\n",
                "kmap_local cpu1 FIX_KMAP 84..99 0xfffab000..0xfff9c000\n", "faults none\n");
    }

    @Test
    void overridesAndFaultsShow() {
        assertThat(run("info", "--profile", "arm-like", "--set", "cpus=4", "--set", "fault=WAKE_ONE")).isZero();
        assertThat(out.toString()).contains("PKMAP_BASE 0xbfe00000", "cpus 4\n",
                "tlb-shootdown hardware-broadcast", "kmap_high_get yes", "faults [WAKE_ONE]");
    }

    @Test
    void aProfileGivenTwiceIsRefusedAndOneBySetIsTaken() {
        assertThat(run("info", "--set", "profile=x86-4g", "--profile=arm-like")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("info: --set profile=x86-4g with --profile arm-like: give the profile"
                + " once; try 'kmap-stress info --help'\n");
        assertThat(out.toString()).isEmpty();
        assertThat(run("info", "--set", "profile=arm-like")).isZero();
        assertThat(out.toString()).contains("PKMAP_BASE 0xbfe00000");
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        assertThat(run("info", "--profile", "sparc")).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo(
                "info: --profile sparc: unknown profile 'sparc'; known: x86-pae, x86-4g, arm-like, aliasing-cache;"
                        + " try 'kmap-stress info --help'");
        assertThat(out.toString()).isEmpty();
        StringWriter e2 = err;
        assertThat(run("info", "--set", "last-pkmap=3")).isEqualTo(2);
        assertThat(e2.toString()).contains("last-pkmap=3: must be a power of two");
        assertThat(run("info", "--bogus")).isEqualTo(2);
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).contains("kmap-stress");
    }
}
