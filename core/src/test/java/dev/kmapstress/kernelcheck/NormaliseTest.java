package dev.kmapstress.kernelcheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only what differs between two runs of one kernel is normalised, never a compared value. */
class NormaliseTest {

    @Test
    void pidsCodeOffsetsAndTimestampsGo() {
        assertThat(Normalise.line("[   12.000001] WARNING: CPU: 0 PID: 86 at mm/highmem.c:162"
                + " __kmap_to_page+0x4c/0x1a0 [kcheck]"))
                .isEqualTo("WARNING: CPU: 0 PID: N at mm/highmem.c:162 __kmap_to_page");
        assertThat(Normalise.line("WARNING: CPU: 0 PID: 100 at mm/highmem.c:162 __kmap_to_page"))
                .isEqualTo("WARNING: CPU: 0 PID: N at mm/highmem.c:162 __kmap_to_page");
    }

    @Test
    void addressesCpusResultsAndSourceLinesStay() {
        for (String line : new String[] {"cpu1 kmap p4 = 0xff002000",
            "BUG: unable to handle page fault for address: ff001000",
            "WARNING: CPU: 1 PID: N at mm/highmem.c:167 __kmap_to_page",
            "cpu0 write 0xff001000 0 0x000000b4 = ok"}) {
            assertThat(Normalise.line(line)).isEqualTo(line);
        }
    }
}
