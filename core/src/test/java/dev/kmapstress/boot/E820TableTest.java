package dev.kmapstress.boot;

import static dev.kmapstress.boot.E820Type.ACPI;
import static dev.kmapstress.boot.E820Type.NVS;
import static dev.kmapstress.boot.E820Type.PRAM;
import static dev.kmapstress.boot.E820Type.RAM;
import static dev.kmapstress.boot.E820Type.RESERVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The e820 table edits of arch/x86/kernel/e820.c: sanitize, update, remove, and the type names. */
class E820TableTest {

    private final Dmesg dmesg = new Dmesg();
    private final E820Table table = new E820Table(dmesg);

    @Test
    void sanitizeSortsAnUnsortedMap() {
        table.rangeAdd(0x10_0000, 0x100_0000, RAM);
        table.rangeAdd(0, 0x9_fc00, RAM);
        table.rangeAdd(0x9_fc00, 0x400, RESERVED);

        assertThat(table.updateTable()).isZero();
        assertThat(table.regions()).containsExactly(new E820Region(0, 0x9_fc00, RAM),
                new E820Region(0x9_fc00, 0x400, RESERVED), new E820Region(0x10_0000, 0x100_0000, RAM));
    }

    @Test
    void sanitizeGivesAnOverlapToTheHighestType() {
        table.rangeAdd(0, 0x10_0000, RAM);
        table.rangeAdd(0x8_0000, 0x2_0000, NVS);
        table.rangeAdd(0x9_0000, 0x3_0000, ACPI);

        table.updateTable();

        assertThat(table.regions()).containsExactly(new E820Region(0, 0x8_0000, RAM),
                new E820Region(0x8_0000, 0x2_0000, NVS), new E820Region(0xa_0000, 0x2_0000, ACPI),
                new E820Region(0xc_0000, 0x4_0000, RAM));
    }

    @Test
    void sanitizeMergesTouchingRegionsOfOneTypeAndDropsEmptyOnes() {
        table.rangeAdd(0x1000, 0x1000, RAM);
        table.rangeAdd(0, 0x1000, RAM);
        table.rangeAdd(0x5000, 0, RESERVED);
        table.rangeAdd(0x2000, 0x800, RAM);

        table.updateTable();

        assertThat(table.regions()).containsExactly(new E820Region(0, 0x2800, RAM));
    }

    @Test
    void sanitizeKeepsTouchingPersistentRegionsApart() {
        table.rangeAdd(0x1_0000_0000L, 0x1000_0000, PRAM);
        table.rangeAdd(0x1_1000_0000L, 0x1000_0000, PRAM);

        table.updateTable();

        assertThat(table.regions()).hasSize(2);
    }

    @Test
    void sanitizeLeavesASingleEntryAlone() {
        table.rangeAdd(0x2000, 0x1000, RAM);

        assertThat(table.updateTable()).isEqualTo(-1);
    }

    @Test
    void rangeUpdateRetypesTheFirstPageOfRam() {
        table.rangeAdd(0, 0x9_fc00, RAM);

        table.rangeUpdate(0, 0x1000, RAM, RESERVED);
        table.updateTable();

        assertThat(table.regions()).containsExactly(new E820Region(0, 0x1000, RESERVED),
                new E820Region(0x1000, 0x9_ec00, RAM));
    }

    @Test
    void rangeRemoveSplitsACoveringEntryAndZeroesACoveredOne() {
        table.rangeAdd(0, 0x20_0000, RAM);
        table.rangeAdd(0xa_0000, 0x1_0000, RAM);

        table.rangeRemove(0xa_0000, 0x6_0000, RAM, true);
        table.updateTable();

        assertThat(table.regions()).containsExactly(new E820Region(0, 0xa_0000, RAM),
                new E820Region(0x10_0000, 0x10_0000, RAM));
    }

    @Test
    void printsTypesAsTheKernelSpellsThem() {
        table.rangeAdd(0, 0x1000, RAM);
        table.rangeAdd(0x1000, 0x1000, E820Type.SOFT_RESERVED);
        table.rangeAdd(0x2000, 0x1000, E820Type.PMEM);
        table.rangeAdd(0x3000, 0x1000, 13);

        table.printTable("BIOS-e820");

        assertThat(dmesg.lines()).containsExactly(
                "BIOS-e820: [mem 0x0000000000000000-0x0000000000000fff] usable",
                "BIOS-e820: [mem 0x0000000000001000-0x0000000000001fff] soft reserved",
                "BIOS-e820: [mem 0x0000000000002000-0x0000000000002fff] persistent (type 7)",
                "BIOS-e820: [mem 0x0000000000003000-0x0000000000003fff] type 13");
    }

    @Test
    void parsesEveryTypeItPrints() {
        for (long t : new long[] {RAM, RESERVED, ACPI, NVS, E820Type.UNUSABLE, E820Type.PMEM, PRAM,
            E820Type.SOFT_RESERVED, 13, 0}) {
            assertThat(E820Type.parse(E820Type.print(t))).isEqualTo(t);
        }
        assertThatThrownBy(() -> E820Type.parse("persistent (type 8)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> E820Type.parse("type 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> E820Type.parse("Usable")).isInstanceOf(IllegalArgumentException.class);
    }
}
