package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Oops;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Tiny;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sequential semantics of kmap_high and friends on a 4-slot window, from one CPU. */
/* One thread runs as CPU 0 from @BeforeEach to @AfterEach, so lifecycle and test share the
 * caller's thread (SEPARATE_THREAD would give each its own); nothing here waits for another
 * thread, and a spin on a lock it holds itself ends at the machine's lockup detector. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SAME_THREAD)
class PkmapTest {

    private Machine m;
    private Cpu cpu;
    private Cpu.Scope scope;

    @BeforeEach
    void enter() {
        use(Tiny.x86(2));
    }

    private void use(Machine machine) {
        if (scope != null) {
            scope.close();
        }
        m = machine;
        scope = m.cpu(0).enter();
        cpu = scope.cpu();
    }

    @AfterEach
    void exit() {
        scope.close();
    }

    private long kmap(int k) {
        return m.highmem().kmap(cpu, m.highPage(k));
    }

    private void kunmap(int k) {
        m.highmem().kunmap(cpu, m.highPage(k));
    }

    private int count(long vaddr) {
        return m.pkmap().pkmapCount(m.layout().pkmapNr(vaddr));
    }

    @Test
    void firstMapTakesSlotOneBecauseTheCursorAdvancesFirst() {
        long va = kmap(0);
        assertThat(va).isEqualTo(0xff00_1000L);
        assertThat(count(va)).isEqualTo(2);
        assertThat(m.highmem().pageAddress(cpu, m.highPage(0))).isEqualTo(va);
        assertThat(m.statTotal(Stat.KMAP_MISS)).isEqualTo(1);
    }

    @Test
    void countIsUsersPlusOneAndStopsAtOne() {
        long va = kmap(0);
        assertThat(kmap(0)).isEqualTo(va);
        assertThat(count(va)).isEqualTo(3);
        assertThat(m.statTotal(Stat.KMAP_HIT)).isEqualTo(1);
        kunmap(0);
        assertThat(count(va)).isEqualTo(2);
        kunmap(0);
        assertThat(count(va)).as("no users, mapped since the last flush").isEqualTo(1);
        assertThat(m.highmem().pageAddress(cpu, m.highPage(0))).isEqualTo(va);
        assertThat(kmap(0)).as("a count-1 mapping is reused by its own page").isEqualTo(va);
    }

    @Test
    void countOneSlotIsNotReusedUntilTheWrapFlush() {
        long p0 = kmap(0);
        kunmap(0);
        assertThat(kmap(1)).isEqualTo(0xff00_2000L);
        assertThat(kmap(2)).isEqualTo(0xff00_3000L);
        long p3 = kmap(3);
        assertThat(p3).as("slot 0 after the wrap").isEqualTo(0xff00_0000L);
        assertThat(count(p0)).as("the wrap flushed slot 1").isZero();
        assertThat(m.highmem().pageAddress(cpu, m.highPage(0))).isZero();
        assertThat(m.pageTable().get(1)).isZero();
        assertThat(m.statTotal(Stat.FLUSH_ALL_ZERO)).isEqualTo(1);
        assertThat(m.statTotal(Stat.TLB_FLUSH)).isEqualTo(1);
        assertThat(kmap(4)).as("the freed slot is the next one taken").isEqualTo(p0);
    }

    @Test
    void wrapWithNothingToFreeDoesNotFlushTlbs() {
        kmap(0);
        kmap(1);
        kmap(2);
        kmap(3);
        assertThat(m.statTotal(Stat.FLUSH_ALL_ZERO)).isEqualTo(1);
        assertThat(m.statTotal(Stat.TLB_FLUSH)).isZero();
    }

    @Test
    void kmapFlushUnusedFreesEveryCountOneSlot() {
        long a = kmap(0);
        long b = kmap(1);
        kunmap(0);
        kunmap(1);
        kmap(1);
        m.pkmap().kmapFlushUnused(cpu);
        assertThat(count(a)).isZero();
        assertThat(count(b)).isEqualTo(2);
        assertThat(m.highmem().pageAddress(cpu, m.highPage(0))).isZero();
        assertThat(m.highmem().pageAddress(cpu, m.highPage(1))).isEqualTo(b);
    }

    @Test
    void dataWrittenThroughOneMappingIsReadThroughTheNext() {
        long va = kmap(5);
        m.mmu().write(cpu, va, 3, 0xcafe);
        kunmap(5);
        m.pkmap().kmapFlushUnused(cpu);
        long again = kmap(5);
        assertThat(m.mmu().read(cpu, again, 3)).isEqualTo(0xcafe);
        assertThat(m.highPage(5).peek(3)).isEqualTo(0xcafe);
        assertThatThrownBy(() -> m.mmu().read(cpu, again, 8)).hasMessageContaining("outside the modelled payload");
    }

    @Test
    void lowmemPagesNeedNoMapping() {
        Page low = m.lowPage(3);
        long va = m.highmem().kmap(cpu, low);
        assertThat(va).isEqualTo(0xc000_3000L);
        m.mmu().write(cpu, va, 0, 7);
        assertThat(low.peek(0)).isEqualTo(7);
        m.highmem().kunmap(cpu, low);
        assertThat(m.statTotal(Stat.KMAP)).isZero();
        assertThat(m.highmem().kmapToPage(cpu, va)).isSameAs(low);
    }

    @Test
    void kmapToPageOfAPkmapAddressWarnsOnce() {
        long va = kmap(2);
        assertThat(m.highmem().kmapToPage(cpu, va)).isSameAs(m.highPage(2));
        assertThat(m.highmem().kmapToPage(cpu, va + 0x123)).isSameAs(m.highPage(2));
        assertThat(m.log().count(ReportKind.WARNING)).isEqualTo(1);
        assertThat(m.log().reports().get(0).lines())
                .anyMatch(l -> l.startsWith("WARNING: CPU: 0 PID: 100 at mm/highmem.c:162 __kmap_to_page"));
    }

    @Test
    void kunmapOfAnUnmappedPageIsABug() {
        Oops oops = org.junit.jupiter.api.Assertions.assertThrows(Oops.class, () -> kunmap(6));
        assertThat(oops.kind()).isEqualTo(ReportKind.BUG);
        assertThat(oops.report().lines()).contains("kernel BUG at mm/highmem.c:358!", "EIP: kunmap_high");
        assertThat(m.log().count(ReportKind.BUG)).isEqualTo(1);
    }

    @Test
    void aCountMustNeverGoDownToZeroWithoutAFlush() {
        kmap(1);
        kunmap(1);
        Oops oops = org.junit.jupiter.api.Assertions.assertThrows(Oops.class, () -> kunmap(1));
        assertThat(oops.report().lines()).contains("kernel BUG at mm/highmem.c:368!");
    }

    @Test
    void setPageAddressOfALowmemPageIsABug() {
        assertThatThrownBy(() -> m.pageAddressTable().setPageAddress(cpu, m.lowPage(0), 0xff00_0000L))
                .isInstanceOf(Oops.class).hasMessageContaining("kernel BUG at mm/highmem.c:780!");
    }

    @Test
    void kmapInAtomicContextReportsSleepingFunction() {
        cpu.preemptDisable();
        kmap(0);
        cpu.preemptEnable();
        assertThat(m.log().count(ReportKind.SLEEP_IN_ATOMIC)).isEqualTo(1);
        assertThat(m.log().reports().get(0).lines()).containsSequence(
                "BUG: sleeping function called from invalid context at include/linux/highmem-internal.h:44",
                "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 100, name: kmap/0",
                "preempt_count: 1, expected: 0");
    }

    @Test
    void accessThroughAnUnmappedAddressIsAPageFault() {
        Oops oops = org.junit.jupiter.api.Assertions.assertThrows(Oops.class,
                () -> m.mmu().read(cpu, 0xff00_2000L, 0));
        assertThat(oops.kind()).isEqualTo(ReportKind.PAGE_FAULT);
        assertThat(oops.report().headline()).isEqualTo("BUG: unable to handle page fault for address: ff002000");
        assertThatThrownBy(() -> m.mmu().write(cpu, 0x0800_0000L, 0, 1))
                .hasMessageContaining("page fault for address: 08000000");
    }

    @Test
    void kmapHighGetExistsOnlyWhereTheArchNeedsIt() {
        assertThatThrownBy(() -> m.pkmap().kmapHighGet(cpu, m.highPage(0)))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("arm-like");
        use(Machine.build(Tiny.config(Profile.ARM_LIKE, 2).build()));
        assertThat(m.pkmap().kmapHighGet(cpu, m.highPage(0))).as("unmapped: NULL").isZero();
        long va = kmap(0);
        assertThat(va).isEqualTo(0xbfe0_1000L);
        assertThat(m.pkmap().kmapHighGet(cpu, m.highPage(0))).isEqualTo(va);
        assertThat(count(va)).isEqualTo(3);
        m.pkmap().kunmapHigh(cpu, m.highPage(0));
        kunmap(0);
        assertThat(count(va)).isEqualTo(1);
        assertThat(cpu.irqsDisabled()).as("kmap_lock is an IRQ-off lock here, restored after").isFalse();
    }

    @Test
    void kmapHighGetOfAFreedButAddressedSlotIsABug() {
        use(Machine.build(Tiny.config(Profile.ARM_LIKE, 2, Fault.UNMAP_TO_ZERO).build()));
        kmap(0);
        kunmap(0);
        assertThatThrownBy(() -> m.pkmap().kmapHighGet(cpu, m.highPage(0)))
                .hasMessageContaining("kernel BUG at mm/highmem.c:332!");
    }

    @Test
    void coloursKeepEachPageInSlotsOfItsColour() {
        use(Machine.build(Tiny.config(Profile.ALIASING_CACHE, 2).lastPkmap(8).highmemPages(16).build()));
        Pkmap pk = m.pkmap();
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 16; k++) {
                Page p = m.highPage(k);
                long va = kmap(k);
                assertThat(m.layout().pkmapNr(va) % 4).as("slot of " + p).isEqualTo(pk.getPkmapColor(p));
                kunmap(k);
            }
        }
        assertThat(pk.getPkmapWaitQueueHead(0)).isNotSameAs(pk.getPkmapWaitQueueHead(1));
        assertThat(pk.getPkmapEntriesCount(2)).isEqualTo(2);
        assertThat(pk.noMorePkmaps(3, 3)).isTrue();
        assertThat(pk.noMorePkmaps(7, 3)).isFalse();
    }

    @Test
    void highmemCountersReportTheZone() {
        assertThat(m.highmem().totalhighPages()).isEqualTo(8);
        assertThat(m.highmem().nrFreeHighpages()).isEqualTo(8);
    }
}
