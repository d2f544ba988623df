package dev.kmapstress.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void cpuModelIsTheFirstModelNameOfCpuinfo() throws IOException {
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nvendor_id\t: AuthenticAMD\n"
                + "model name\t: AMD EPYC 7B13 64-Core Processor\n\nprocessor\t: 1\nmodel name\t: other\n");
        assertThat(Environment.cpuModel(cpuinfo)).isEqualTo("AMD EPYC 7B13 64-Core Processor");
    }

    @Test
    void cpuModelIsUnknownWithoutCpuinfo() {
        assertThat(Environment.cpuModel(dir.resolve("none"))).isEqualTo("unknown");
    }

    @Test
    void captureRecordsThisJvmAndTheCommand() {
        Environment env = Environment.capture("java -cp x dev.kmapstress.bench.RunMatrix --threads 1", null);

        assertThat(env.jdk()).contains(System.getProperty("java.runtime.version"));
        assertThat(env.os()).contains(System.getProperty("os.name"));
        assertThat(env.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(env.date()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(env.command()).endsWith("--threads 1");
        assertThat(env.note()).isEmpty();
        assertThat(env.loadAfter()).isNaN();
    }

    @Test
    void finishedKeepsTheStartAndAddsTheLoadAtTheEnd() {
        Environment start = Environment.capture("x", "n");
        Environment end = start.finished();

        assertThat(end.loadBefore()).isEqualTo(start.loadBefore());
        assertThat(end.date()).isEqualTo(start.date());
        if (!Double.isNaN(start.loadBefore())) {
            assertThat(end.loadAfter()).isNotNaN().isNotNegative();
        }
    }

    @Test
    void theCommitIsAGitHashOrUnknown() {
        assertThat(Environment.capture("x", null).gitCommit()).matches("[0-9a-f]{40}(-dirty)?|unknown");
    }
}
