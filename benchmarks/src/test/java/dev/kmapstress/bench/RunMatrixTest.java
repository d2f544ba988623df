package dev.kmapstress.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.bench.RunMatrix.Arguments;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launcher's own arguments; no benchmark runs here. */
class RunMatrixTest {

    @Test
    void threadCountsTakeNumbersAndMax() {
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(Arguments.threadCounts("1, 2,max")).containsExactly(1, 2, cpus);
    }

    @Test
    void aBadThreadCountNamesItAndWhatIsAllowed() {
        assertThatThrownBy(() -> Arguments.threadCounts("1,0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--threads 1,0: '0' is not a positive integer or max");
        assertThatThrownBy(() -> Arguments.threadCounts("two")).hasMessageContaining("'two'");
    }

    @Test
    void ownOptionsAreSplitFromJmhOnesAndDuplicateCountsDropped() {
        Arguments a = Arguments.parse(new String[] {"--threads", "2,1,2", "--out", "x/y.json", "--note", "quiet",
                "-f", "1", "-p", "lock=ticket", "Baselines.casReleasePair"});

        assertThat(a.threads).containsExactly(2, 1);
        assertThat(a.out).isEqualTo(Path.of("x/y.json"));
        assertThat(a.note).isEqualTo("quiet");
        assertThat(a.jmh.getForkCount().get()).isEqualTo(1);
        assertThat(a.jmh.getParameter("lock").get()).containsExactly("ticket");
        assertThat(a.benchmarks).extracting(e -> e.getUsername())
                .containsExactly("dev.kmapstress.bench.Baselines.casReleasePair");
    }

    @Test
    void jmhsOwnThreadAndResultOptionsAreRefused() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"-t", "4"}))
                .hasMessage("-t is not accepted here: use --threads LIST for thread counts; the results file is --out FILE");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"-rff", "a.json"})).hasMessageStartingWith("-rff ");
    }

    @Test
    void aPatternMatchingNoBenchmarkIsRefused() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"NoSuchBenchmark"}))
                .hasMessageStartingWith("no benchmark matches [NoSuchBenchmark]");
    }

    @Test
    void aMissingValueIsRefused() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--out"})).hasMessage("--out needs a value");
    }
}
