package dev.kmapstress.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading e820 maps and boot logs, and refusing what the model cannot take. */
class BootInputTest {

    @Test
    void readsLinesWithAndWithoutTimestampAndPrefix() {
        String text = "# a comment\n[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
                + "\n[mem 0x9fc00-0x9ffff] reserved\r\n";

        assertThat(BootInput.parseE820(text)).containsExactly(new E820Region(0, 0x9_fc00, E820Type.RAM),
                new E820Region(0x9_fc00, 0x400, E820Type.RESERVED));
    }

    @Test
    void malformedLineIsNamed() {
        assertThatThrownBy(() -> BootInput.parseE820(TestMaps.line(0, 0xfff, "usable") + "usable 0-4096\n"))
                .isInstanceOf(BootInputException.class)
                .hasMessage("e820 line 2: 'usable 0-4096': expected " + BootInput.E820_LINE);
    }

    @Test
    void unknownTypeIsNamed() {
        assertThatThrownBy(() -> BootInput.parseE820(TestMaps.line(0, 0xfff, "RAM")))
                .hasMessage("e820 line 1: unknown type 'RAM'; expected one of " + E820Type.SPELLINGS);
    }

    @Test
    void backwardsAndOutOfRangeRegionsAreRefused() {
        assertThatThrownBy(() -> BootInput.parseE820("[mem 0x2000-0x1fff] usable"))
                .hasMessageStartingWith("e820 line 1: end 0x1fff is below start 0x2000");
        assertThatThrownBy(() -> BootInput.parseE820("[mem 0x0-0xffffffffffffffff] reserved"))
                .hasMessageStartingWith("e820 line 1: end 0xffffffffffffffff is not below 0x100000000000");
    }

    @Test
    void aMapOfOneRegionIsRefused() {
        assertThatThrownBy(() -> Boot.fromE820Text(BootProfile.X86_PAE, TestMaps.line(0, 0x7fff_ffff, "usable"), ""))
                .isInstanceOf(BootInputException.class).hasMessageStartingWith("e820 map: 1 region(s); expected at least 2");
    }

    @Test
    void aMapWithoutRamIsRefused() {
        assertThatThrownBy(() -> Boot.fromE820Text(BootProfile.X86_PAE, TestMaps.qemu(2 * TestMaps.GB), "mem=2K"))
                .isInstanceOf(BootInputException.class)
                .hasMessageStartingWith("e820 map after mem=: no usable RAM left");
    }

    @Test
    void logKeepsTheCommandLineExactlyAndStopsAtIt() {
        String log = "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
                + "[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000001fffffff] usable\n"
                + "[    0.006855] last_pfn = 0x20000 max_arch_pfn = 0x100000\n"
                + "[    0.062628] Kernel command line: mem=512M  \n"
                + "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n";

        BootInput.BootLog parsed = BootInput.parseLog(log);

        assertThat(parsed.cmdline()).isEqualTo("mem=512M  ");
        assertThat(parsed.e820()).hasSize(2);
        assertThat(parsed.profile()).contains(BootProfile.X86_4G);
    }

    @Test
    void logWithoutCommandLineIsRefused() {
        assertThatThrownBy(() -> BootInput.parseLog("BIOS-e820: [mem 0x0-0xfff] usable\n"))
                .isInstanceOf(BootInputException.class).hasMessageStartingWith("boot log: no 'Kernel command line:' line");
    }
}
