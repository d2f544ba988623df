package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Oops;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Tiny;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The highmem.h copy helpers against a plain array copy of the pages' payloads (8 words a
 * page), and their bounds BUG. Each helper must also leave the kmap_local stack empty.
 */
/* One thread runs as CPU 0 from @BeforeEach to @AfterEach, so lifecycle and test share the
 * caller's thread (SEPARATE_THREAD would give each its own); nothing here waits for another
 * thread, and a spin on a lock it holds itself ends at the machine's lockup detector. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SAME_THREAD)
class CopyHelpersTest {

    private Machine m;
    private HighmemCopy copy;
    private Cpu cpu;
    private Cpu.Scope scope;

    @BeforeEach
    void enter() {
        m = Tiny.x86(1);
        copy = m.highmemCopy();
        scope = m.cpu(0).enter();
        cpu = scope.cpu();
        for (int k = 0; k < m.highPageCount(); k++) {
            for (int w = 0; w < 8; w++) {
                m.highPage(k).payload()[w] = 100 * k + w + 1;
            }
        }
    }

    @AfterEach
    void exit() {
        assertThat(m.kmapLocal().depth(cpu)).isZero();
        assertThat(m.log().count(ReportKind.WARNING)).as("every unmap in LIFO order").isZero();
        scope.close();
    }

    private int[] snapshot(Page p) {
        return p.payload().clone();
    }

    @Test
    void memcpyPageMatchesAnArrayCopyAcrossHighAndLowPages() {
        Page low = m.lowPage(2);
        for (Page[] pair : new Page[][] {{m.highPage(1), m.highPage(2)}, {low, m.highPage(3)}}) {
            Page dst = pair[0];
            Page src = pair[1];
            int[] expected = snapshot(dst);
            System.arraycopy(src.payload(), 1, expected, 4, 3);
            copy.memcpyPage(cpu, dst, 4, src, 1, 3);
            assertThat(dst.payload()).containsExactly(expected);
        }
        assertThat(m.statTotal(Stat.KMAP_LOCAL)).as("only highmem pages take slots").isEqualTo(3);
    }

    @Test
    void memcpyFromAndToPageMatchArrayCopies() {
        int[] out = new int[5];
        copy.memcpyFromPage(cpu, out, m.highPage(4), 3, 5);
        assertThat(out).containsExactly(Arrays.copyOfRange(m.highPage(4).payload(), 3, 8));

        int[] in = {-1, -2, -3};
        int[] expected = snapshot(m.highPage(5));
        System.arraycopy(in, 0, expected, 0, 3);
        copy.memcpyToPage(cpu, m.highPage(5), 0, in, 3);
        assertThat(m.highPage(5).payload()).containsExactly(expected);
    }

    @Test
    void memzeroAndClearMatchArrayFills() {
        int[] expected = snapshot(m.highPage(6));
        Arrays.fill(expected, 2, 7, 0);
        copy.memzeroPage(cpu, m.highPage(6), 2, 5);
        assertThat(m.highPage(6).payload()).containsExactly(expected);

        copy.clearHighpage(cpu, m.highPage(7));
        assertThat(m.highPage(7).payload()).containsOnly(0);
    }

    @Test
    void copyHighpageCopiesTheWholePage() {
        int[] expected = snapshot(m.highPage(0));
        copy.copyHighpage(cpu, m.highPage(1), m.highPage(0));
        assertThat(m.highPage(1).payload()).containsExactly(expected);
        assertThat(m.highPage(0).payload()).containsExactly(expected);
    }

    @Test
    void aCopyThatCrossesThePageIsABugAfterTheMapping() {
        Oops oops = org.junit.jupiter.api.Assertions.assertThrows(Oops.class,
                () -> copy.memcpyPage(cpu, m.highPage(0), 6, m.highPage(1), 0, 3));
        assertThat(oops.report().lines()).contains("kernel BUG at include/linux/highmem.h:371!", "EIP: memcpy_page");
        assertThat(m.kmapLocal().depth(cpu)).as("the oops leaves both mappings held").isEqualTo(2);
        m.kmapLocal().kunmapLocal(cpu, 0xfffb_a000L);
        m.kmapLocal().kunmapLocal(cpu, 0xfffb_b000L);
        int[] before = snapshot(m.highPage(2));
        assertThatThrownBy(() -> copy.memcpyFromPage(cpu, new int[9], m.highPage(2), 0, 9))
                .hasMessageContaining("kernel BUG at include/linux/highmem.h:392!");
        m.kmapLocal().kunmapLocal(cpu, 0xfffb_b000L);
        assertThatThrownBy(() -> copy.memcpyToPage(cpu, m.highPage(2), 8, new int[1], 1))
                .hasMessageContaining("kernel BUG at include/linux/highmem.h:402!");
        m.kmapLocal().kunmapLocal(cpu, 0xfffb_b000L);
        assertThatThrownBy(() -> copy.memzeroPage(cpu, m.highPage(2), -1, 2))
                .as("a negative offset is a huge size_t")
                .hasMessageContaining("kernel BUG at include/linux/highmem.h:412!");
        m.kmapLocal().kunmapLocal(cpu, 0xfffb_b000L);
        assertThat(m.highPage(2).payload()).as("nothing was written").containsExactly(before);
    }

    @Test
    void aTooShortJavaBufferIsRefusedBeforeMapping() {
        assertThatThrownBy(() -> copy.memcpyFromPage(cpu, new int[2], m.highPage(0), 0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("to holds 2 words, fewer than len=3 (allowed: len <= 2)");
        assertThat(m.log().total()).isZero();
    }

    @Test
    void copiesGoThroughTheMappingsNotAroundThem() {
        copy.copyHighpage(cpu, m.highPage(1), m.highPage(0));
        assertThat(m.statTotal(Stat.ACCESS)).as("8 mapped reads and 8 mapped writes").isEqualTo(16);
        assertThat(m.statTotal(Stat.TLB_MISS)).as("one page walk per mapping").isEqualTo(2);
        assertThat(m.statTotal(Stat.KUNMAP_LOCAL)).isEqualTo(2);
    }
}
