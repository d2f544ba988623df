package dev.kmapstress.kernelcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The model's side of a comparison and the diff printed between the two sides. */
class KernelCheckTest {

    @Test
    void theModelSideRecordsWithoutJudgingAndPrintsPageAddressChecks() {
        List<String> model = KernelCheck.model(KernelScriptTest.parse("""
                machine profile=x86-pae cpus=2 last-pkmap=4 highmem-pages=8
                expect cpu0 kmap p0 = 0xdeadb000
                cpu0 kunmap p0
                expect page_address p0 = NULL
                expect log WARNING
                cpu1 read 0xff001000 0
                """));
        assertThat(model).containsExactly(
                "cpu0 kmap p0 = 0xff001000",
                "cpu0 kunmap p0 = ok",
                "page_address p0 = 0xff001000",
                "cpu1 read 0xff001000 0 = 0x00000000");
    }

    @Test
    void theModelSideEndsWhereTheModelStopped() {
        List<String> model = KernelCheck.model(KernelScriptTest.parse("""
                machine profile=x86-pae cpus=2 last-pkmap=4 highmem-pages=8
                cpu0 kmap p0
                cpu0 kmap p1
                cpu0 kmap p2
                cpu0 kmap p3
                cpu1 kmap p4
                cpu1 kmap p5
                """));
        assertThat(model).endsWith("cpu1 kmap p4 = blocked", "# stopped at line 7: cpu1 kmap p5");
    }

    @Test
    void theDiffIsEmptyForEqualLinesAndUnifiedInTheScenarioFormatOtherwise() {
        List<String> model = List.of("cpu0 kmap p0 = 0xff001000", "cpu0 kunmap p0 = ok");
        assertThat(KernelCheck.diff(model, model)).isEmpty();
        assertThat(KernelCheck.diff(model, List.of("cpu0 kmap p0 = 0xff002000", "cpu0 kunmap p0 = ok")))
                .containsExactly("--- model", "+++ kernel", "@@ -1,2 +1,2 @@",
                        "-cpu0 kmap p0 = 0xff001000", "+cpu0 kmap p0 = 0xff002000", " cpu0 kunmap p0 = ok");
    }
}
