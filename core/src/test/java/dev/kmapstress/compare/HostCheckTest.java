package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Host awareness: more CPUs than processors, or a load above them, is said. */
class HostCheckTest {

    @Test
    void aQuietHostWithEnoughProcessorsGetsNoWarning() {
        assertThat(HostCheck.warnings(List.of(1, 2), 2, 0.5, 1.9)).isEmpty();
        assertThat(HostCheck.warnings(List.of(2), 2, Double.NaN, Double.NaN)).isEmpty();
    }

    @Test
    void moreCpusThanProcessorsIsSaid() {
        assertThat(HostCheck.warnings(List.of(1, 4), 2, 0, 0)).singleElement().asString()
                .contains("4 CPUs on a host with 2 processors");
    }

    @Test
    void aLoadAboveTheProcessorsAtEitherEndIsSaid() {
        List<String> w = HostCheck.warnings(List.of(2), 2, 2.5, 4.25);
        assertThat(w).hasSize(2);
        assertThat(w.get(0)).contains("load average 2.50 at the start exceeds the 2 processors");
        assertThat(w.get(1)).contains("4.25 at the end");
    }
}
