package dev.kmapstress.torture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import org.junit.jupiter.api.Test;

class PageLedgerTest {

    private static Machine machine(int colours) {
        return Machine.build(MachineConfig.builder(Profile.X86_PAE).lastPkmap(16).colours(colours)
                .highmemPages(32).build());
    }

    @Test
    void aWriterExcludesEveryoneAndReadersShare() {
        PageLedger l = new PageLedger(machine(1), 1, new int[] {2}, false);
        assertThat(l.tryClaim(3, true)).isTrue();
        assertThat(l.tryClaim(3, true)).isFalse();
        assertThat(l.tryClaim(3, false)).isFalse();
        l.release(3, true, PageLedger.nextStamp(3, 0));
        assertThat(l.tryClaim(3, false)).isTrue();
        assertThat(l.tryClaim(3, false)).isTrue();
        assertThat(l.tryClaim(3, true)).isFalse();
        l.release(3, false, 0);
        l.release(3, false, 0);
        assertThat(l.tryClaim(3, true)).isTrue();
        assertThat(l.stamp(3)).isEqualTo(PageLedger.nextStamp(3, 0));
    }

    @Test
    void stampsDifferByPageVersionAndWord() {
        PageLedger l = new PageLedger(machine(1), 7, new int[] {1}, false);
        long a = PageLedger.nextStamp(1, 0);
        long b = PageLedger.nextStamp(2, 0);
        long a2 = PageLedger.nextStamp(1, a);
        assertThat(l.word(a, 0)).isNotEqualTo(l.word(b, 0)).isNotEqualTo(l.word(a2, 0));
        assertThat(l.word(a, 0)).isNotEqualTo(l.word(a, 1));
        assertThat(l.word(0, 5)).isZero();
        assertThat(l.describe(a2)).isEqualTo("p1 v2");
    }

    @Test
    void theBudgetIsSlotsPlusWorkersMinusOneAndSharedPagesCostOneUnit() {
        PageLedger l = new PageLedger(machine(1), 1, new int[] {3}, false);
        int units = 0;
        while (l.trySlot(0, 0)) {
            units++;
        }
        assertThat(units).isEqualTo(16 + 3 - 1);
        // Two workers mapping one page: the second call's unit comes back at once.
        PageLedger shared = new PageLedger(machine(1), 1, new int[] {2}, false);
        shared.trySlot(0, 0);
        shared.mapped(5, 0);
        shared.trySlot(0, 0);
        shared.mapped(5, 0);
        assertThat(shared.slotsLeft(0)).isEqualTo(17 - 1);
        shared.unmapped(5, 0);
        assertThat(shared.slotsLeft(0)).isEqualTo(17 - 1);
        shared.unmapped(5, 0);
        assertThat(shared.slotsLeft(0)).isEqualTo(17);
    }

    @Test
    void aWorkerAboveItsCapMayNotStartAMapping() {
        // Three workers share 16 slots: any two of them asleep must hold fewer than 16.
        PageLedger l = new PageLedger(machine(1), 1, new int[] {3}, false);
        assertThat(l.trySlot(0, 7)).isTrue();
        assertThat(l.trySlot(0, 8)).isFalse();
    }

    @Test
    void eachColourHasItsOwnPagesAndBudget() {
        Machine m = machine(4);
        PageLedger l = new PageLedger(m, 1, new int[] {1, 1, 0, 0}, false);
        for (int c = 0; c < 4; c++) {
            for (int idx : l.colour(c)) {
                assertThat(m.pkmap().getPkmapColor(l.page(idx))).isEqualTo(c);
            }
            assertThat(l.colour(c)).hasSize(8);
        }
        assertThat(l.slotsLeft(0)).isEqualTo(4);
        assertThat(l.trySlot(0, 3)).isTrue();
        assertThat(l.trySlot(0, 4)).isFalse();
    }
}
