package dev.kmapstress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

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

    private String script(String text) throws IOException {
        Path p = dir.resolve("s.scenario");
        Files.writeString(p, text);
        return p.toString();
    }

    @Test
    void exitZeroWhenEveryExpectHolds() throws IOException {
        String f = script("machine cpus=2\nexpect cpu0 kmap p0 = 0xff001000\ncpu1 kunmap p0\n");
        assertThat(run("run", f)).isZero();
        assertThat(out.toString()).isEqualTo("cpu0 kmap p0 = 0xff001000\ncpu1 kunmap p0 = ok\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void exitOneWithTheLineAndWhatWasSeen() throws IOException {
        String f = script("machine cpus=2\nexpect cpu0 kmap p0 = 0xff002000\n");
        assertThat(run("run", f)).isEqualTo(1);
        assertThat(err.toString()).isEqualTo(f + ":2: expect cpu0 kmap p0 = 0xff002000: saw 0xff001000\n");
    }

    @Test
    void exitTwoWithOneLineForAScriptThatDoesNotParse() throws IOException {
        String f = script("machine cpus=2\ncpu0 kmap p0\ncpu0 kmpa p1\n");
        assertThat(run("run", f)).isEqualTo(2);
        assertThat(err.toString()).startsWith("run: " + f + ":3: 'kmpa': expected an operation: kmap, ")
                .endsWith("\n").hasLineCount(1);
        assertThat(out.toString()).as("nothing runs").isEmpty();
    }

    @Test
    void setOverridesTheMachineLineToSwitchAFaultOn() throws IOException {
        String f = script("machine cpus=2 last-pkmap=4\ncpu0 kmap p0\ncpu0 kunmap p0\nexpect cpu1 kmap p0 = 0xff001000\n");
        assertThat(run("run", f)).isZero();
        assertThat(run("run", f, "--set", "fault=UNMAP_TO_ZERO")).isEqualTo(1);
        assertThat(out.toString()).endsWith("cpu1 kmap p0 = oops\nkernel BUG at mm/highmem.c:308!\n");
    }

    @Test
    void traceIndentsTheInternalSteps() throws IOException {
        assertThat(run("run", "--trace", script("machine\ncpu0 kmap_flush_unused\n"))).isZero();
        assertThat(out.toString()).isEqualTo("cpu0 kmap_flush_unused = ok\n    spin_lock kmap_lock\n"
                + "    flush_all_zero_pkmaps\n    spin_unlock kmap_lock\n");
    }

    @Test
    void aMissingFileIsBadInput() {
        assertThat(run("run", dir.resolve("none.scenario").toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("run: scenario " + dir.resolve("none.scenario")
                + ": cannot read: no such file; try 'kmap-stress run --help'\n");
    }
}
