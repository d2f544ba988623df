package dev.kmapstress.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.machine.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The top of the kernel address space derived from the boot constants lands on what was measured
 * inside the real kernels (the machine Profile's values, kmap-layout.md).
 */
class BootProfileTest {

    @ParameterizedTest
    @EnumSource(BootProfile.class)
    void derivedLayoutIsTheMeasuredOne(BootProfile b) {
        Profile p = b.profile();

        assertThat(b.pkmapBase()).isEqualTo(p.pkmapBase());
        assertThat(b.vmallocEnd()).isEqualTo(p.vmallocEnd());
        assertThat(b.fixaddrStart()).isEqualTo(p.fixaddrStart());
        assertThat(b.fixToVirt(b.fixKmapBegin())).isEqualTo(0xfffb_b000L);
        assertThat(b.fixToVirt(b.fixKmapEnd())).isEqualTo(0xffdb_c000L);
        assertThat(b.ptrsPerPte()).isEqualTo(p.lastPkmap());
    }

    @Test
    void fixmapIndicesFollowFixmapH() {
        BootProfile b = BootProfile.X86_PAE;

        assertThat(b.fixKmapEnd()).isEqualTo(579);
        assertThat(b.endOfPermanentFixedAddresses()).isEqualTo(583);
        // The 512 boot-time slots would straddle a page table from 583: they move up to 1024.
        assertThat(b.endOfFixedAddresses()).isEqualTo(1024 + 512 + 1);
    }

    @Test
    void measuredPkmapBasePinsTheCpuEntryAreaTo32To47PagesPerCpu() {
        for (BootProfile b : BootProfile.values()) {
            for (int pages = 32; pages <= 47; pages++) {
                assertThat(b.pkmapBase(b.cpuEntryAreaBase(pages))).as("%s, %d pages", b, pages)
                        .isEqualTo(b.profile().pkmapBase());
            }
        }
        BootProfile pae = BootProfile.X86_PAE;
        assertThat(pae.pkmapBase(pae.cpuEntryAreaBase(31))).isNotEqualTo(0xff00_0000L);
        assertThat(pae.pkmapBase(pae.cpuEntryAreaBase(48))).isNotEqualTo(0xff00_0000L);
    }

    @Test
    void maxArchPfnIs36Or32PhysicalBits() {
        assertThat(BootProfile.X86_PAE.maxArchPfn()).isEqualTo(0x100_0000);
        assertThat(BootProfile.X86_4G.maxArchPfn()).isEqualTo(0x10_0000);
    }

    @Test
    void parseNamesTheKnownProfiles() {
        assertThat(BootProfile.parse(" X86-PAE ")).isEqualTo(BootProfile.X86_PAE);
        assertThatThrownBy(() -> BootProfile.parse("arm-like"))
                .hasMessage("unknown boot profile 'arm-like'; known: x86-pae, x86-4g");
    }
}
