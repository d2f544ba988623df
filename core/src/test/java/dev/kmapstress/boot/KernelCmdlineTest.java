package dev.kmapstress.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.boot.KernelCmdline.Memparse;
import dev.kmapstress.boot.KernelCmdline.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** memparse() and the early-parameter walk, as lib/cmdline.c and kernel/params.c read a command line. */
class KernelCmdlineTest {

    @ParameterizedTest(name = "memparse(\"{0}\") = {1}")
    @CsvSource({
        "512M, 536870912, 4",
        "512m, 536870912, 4",
        "2K, 2048, 2",
        "1G, 1073741824, 2",
        "1g, 1073741824, 2",
        "3T, 3298534883328, 2",
        "1P, 1125899906842624, 2",
        "1E, 1152921504606846976, 2",
        "4096, 4096, 4",
        "0x1000, 4096, 6",
        "0X10k, 16384, 5",     // hex, then a suffix
        "0x1e, 30, 4",         // 'e' is a hex digit here, not the exa suffix
        "010, 8, 3",           // a leading 0 means octal
        "019, 1, 2",           // octal stops at the 9
        "0x, 0, 1",            // "0x" without a hex digit: octal 0, the x is left unread
        "512MB, 536870912, 4", // the B is left unread: the kernel takes 512M
    })
    void readsSizesAsTheKernel(String text, long value, int end) {
        Memparse m = KernelCmdline.memparse(text);

        assertThat(m.value()).isEqualTo(value);
        assertThat(m.end()).isEqualTo(end);
        assertThat(m.overflow()).isFalse();
    }

    @Test
    void noDigitsReadsZero() {
        assertThat(KernelCmdline.memparse("abc")).isEqualTo(new Memparse(0, 0, 0, false));
        assertThat(KernelCmdline.memparse("")).isEqualTo(new Memparse(0, 0, 0, false));
        assertThat(KernelCmdline.memparse("K")).isEqualTo(new Memparse(0, 1, 0, false));
    }

    @Test
    void overflowIsFlagged() {
        assertThat(KernelCmdline.memparse("18446744073709551615").overflow()).isFalse();
        assertThat(KernelCmdline.memparse("18446744073709551616").overflow()).isTrue();
        assertThat(KernelCmdline.memparse("15E").overflow()).isFalse();
        assertThat(KernelCmdline.memparse("16E").overflow()).isTrue();
    }

    @Test
    void sizeRefusesWhatMemparseCannotRead() {
        assertThatThrownBy(() -> KernelCmdline.size("mem", "lots"))
                .isInstanceOf(BootInputException.class)
                .hasMessage("kernel command line mem=lots: expected " + KernelCmdline.SIZE_SYNTAX);
        assertThatThrownBy(() -> KernelCmdline.size("highmem", "99999E"))
                .hasMessageStartingWith("kernel command line highmem=99999E: too large");
    }

    @Test
    void earlyParamsSplitAtUnquotedSpacesAndStopAtDashes() {
        assertThat(KernelCmdline.earlyParams("  console=ttyS0 mem=512M\tquiet  "))
                .containsExactly(new Param("console", "ttyS0"), new Param("mem", "512M"),
                        new Param("quiet", null));
        assertThat(KernelCmdline.earlyParams("mem=1G -- mem=512M"))
                .containsExactly(new Param("mem", "1G"));
    }

    @Test
    void earlyParamsStripQuotesAsNextArg() {
        assertThat(KernelCmdline.earlyParams("highmem=\"256M\" \"vmalloc=64M\" x=\"a b\" \"=y\""))
                .containsExactly(new Param("highmem", "256M"), new Param("vmalloc", "64M"),
                        new Param("x", "a b"), new Param("=y", null));
    }
}
