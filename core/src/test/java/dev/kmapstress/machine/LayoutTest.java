package dev.kmapstress.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.kernel.Machine;
import org.junit.jupiter.api.Test;

/** Address arithmetic against the values measured inside Debian's 6.1 kernels. */
class LayoutTest {

    private static Layout layout(Profile p) {
        return Machine.build(MachineConfig.builder(p).highmemPages(0).build()).layout();
    }

    @Test
    void pkmapAddrAndNrAreInverse() {
        Layout l = layout(Profile.X86_PAE);
        assertThat(l.pkmapAddr(0)).isEqualTo(0xff00_0000L);
        assertThat(l.pkmapAddr(1)).isEqualTo(0xff00_1000L);
        assertThat(l.pkmapNr(0xff1f_f000L)).isEqualTo(511);
        assertThat(l.inPkmapWindow(0xff1f_ffffL)).isTrue();
        assertThat(l.inPkmapWindow(0xff20_0000L)).isFalse();
        assertThat(layout(Profile.X86_4G).pkmapAddr(1023)).isEqualTo(0xfeff_f000L);
    }

    @Test
    void fixmapKmapRangeMatchesTheMeasuredKernels() {
        for (Profile p : new Profile[] {Profile.X86_PAE, Profile.X86_4G}) {
            Layout l = layout(p);
            assertThat(l.fixKmapBegin()).isEqualTo(68);
            assertThat(l.fixKmapEnd()).isEqualTo(579);
            assertThat(l.fixToVirt(l.fixKmapBegin())).isEqualTo(0xfffb_b000L);
            assertThat(l.fixToVirt(l.fixKmapEnd())).isEqualTo(0xffdb_c000L);
            assertThat(l.virtToFix(0xfffa_b123L)).isEqualTo(68 + 16);
        }
    }

    @Test
    void lowmemIsTheDirectMap() {
        Layout l = layout(Profile.X86_PAE);
        assertThat(l.lowmemPageAddress(5)).isEqualTo(0xc000_5000L);
        assertThat(l.virtToPfn(0xc000_5fffL)).isEqualTo(5);
        assertThat(l.inLowmemMap(0xc000_f000L)).isTrue();
        assertThat(l.inLowmemMap(0xc001_0000L)).isFalse();
    }
}
