package dev.kmapstress.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunEnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void cpuModelIsTheFirstModelNameOfCpuinfo() throws IOException {
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nvendor_id\t: AuthenticAMD\n"
                + "model name\t: AMD EPYC 7B13 64-Core Processor\n\nprocessor\t: 1\nmodel name\t: other\n");
        assertThat(RunEnvironment.cpuModel(cpuinfo)).isEqualTo("AMD EPYC 7B13 64-Core Processor");
    }

    @Test
    void cpuModelIsUnknownWithoutCpuinfo() {
        assertThat(RunEnvironment.cpuModel(dir.resolve("none"))).isEqualTo("unknown");
    }

    @Test
    void captureRecordsThisJvmAndTheCommand() {
        RunEnvironment env = RunEnvironment.capture("java -cp x dev.kmapstress.bench.RunMatrix --threads 1", null);

        assertThat(env.jdk()).contains(System.getProperty("java.runtime.version"));
        assertThat(env.os()).contains(System.getProperty("os.name"));
        assertThat(env.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(env.date()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(env.command()).endsWith("--threads 1");
        assertThat(env.note()).isEmpty();
        assertThat(env.loadAfter()).isNaN();
    }
}
