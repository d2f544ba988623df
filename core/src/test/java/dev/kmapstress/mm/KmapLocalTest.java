package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Oops;
import dev.kmapstress.log.Report;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Task;
import dev.kmapstress.machine.Tiny;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** kmap_local_page and kmap_atomic on one CPU: the stack rules, their reports, IRQs, debug options. */
/* One thread runs as CPU 0 from @BeforeEach to @AfterEach, so lifecycle and test share the
 * caller's thread (SEPARATE_THREAD would give each its own); nothing here waits for another
 * thread, and a spin on a lock it holds itself ends at the machine's lockup detector. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SAME_THREAD)
class KmapLocalTest {

    private Machine m;
    private KmapLocal kl;
    private Cpu cpu;
    private Cpu.Scope scope;

    @BeforeEach
    void enter() {
        use(Tiny.config(Profile.X86_PAE, 2));
    }

    private void use(MachineConfig.Builder b) {
        if (scope != null) {
            scope.close();
        }
        m = Machine.build(b.build());
        kl = m.kmapLocal();
        scope = m.cpu(0).enter();
        cpu = scope.cpu();
    }

    @AfterEach
    void exit() {
        scope.close();
    }

    private long map(int k) {
        return kl.kmapLocalPage(cpu, m.highPage(k));
    }

    private int pte(long vaddr) {
        return (int) PageTable.ptePfn(m.pageTable().get(m.pageTable().index(vaddr)));
    }

    private boolean mapped(long vaddr) {
        return m.pageTable().get(m.pageTable().index(vaddr)) != 0;
    }

    private String warningAt(String location) {
        return m.log().reports().stream().filter(r -> r.kind() == ReportKind.WARNING)
                .flatMap(r -> r.lines().stream()).filter(l -> l.contains(" at " + location + " "))
                .findFirst().orElse(null);
    }

    @Test
    void mapDisablesMigrationNotPreemptionAndSavesThePteInTheTask() {
        Page p = m.highPage(2);
        p.payload()[1] = 77;
        long va = map(2);
        assertThat(va).isEqualTo(0xfffb_b000L);
        assertThat(cpu.migrateDisableCount()).isEqualTo(1);
        assertThat(cpu.preemptCount()).isZero();
        assertThat(cpu.current().kmapCtrl().idx()).isEqualTo(1);
        assertThat(cpu.current().kmapCtrl().pteval(0)).isEqualTo(PageTable.mkPte(p));
        assertThat(m.mmu().read(cpu, va, 1)).isEqualTo(77);
        kl.kunmapLocal(cpu, va);
        assertThat(cpu.migrateDisableCount()).isZero();
        assertThat(cpu.current().kmapCtrl().idx()).isZero();
        assertThat(cpu.current().kmapCtrl().pteval(0)).isZero();
        assertThat(mapped(va)).isFalse();
        assertThat(cpu.tlb().lookup(m.pageTable().index(va))).as("flushed from the local TLB").isZero();
        assertThat(m.statTotal(Stat.TLB_FLUSH)).as("a local flush, no shootdown").isZero();
        assertThat(m.statTotal(Stat.IPI_SENT)).isZero();
        assertThatThrownBy(() -> m.mmu().read(cpu, va, 1)).isInstanceOf(Oops.class)
                .hasMessageStartingWith("BUG: unable to handle page fault for address: fffbb000");
        assertThat(m.log().count(ReportKind.WARNING)).isZero();
    }

    @Test
    void unmappingOutOfLifoOrderWarnsAndX86ClearsTheTopSlot() {
        long a = map(0);
        long b = map(1);
        m.mmu().read(cpu, a, 0);
        m.mmu().read(cpu, b, 0);
        kl.kunmapLocal(cpu, a);
        assertThat(warningAt("mm/highmem.c:610")).isEqualTo(
                "WARNING: CPU: 0 PID: 100 at mm/highmem.c:610 kunmap_local_indexed");
        // x86 finds the PTE from the stack index: b's slot was cleared, a's is still mapped.
        assertThat(mapped(b)).isFalse();
        assertThat(pte(a)).isEqualTo(m.highPage(0).pfn());
        assertThat(kl.depth(cpu)).isEqualTo(1);
        // The flush names the address it was given, not the slot it cleared: a's entry is
        // gone, b's stale entry stays cached, as in the kernel.
        assertThat(cpu.tlb().lookup(m.pageTable().index(a))).isZero();
        assertThat(cpu.tlb().lookup(m.pageTable().index(b))).isNotZero();
    }

    @Test
    void aSwitchedOutTaskLeavesNoneOfItsSlotsInTheLocalTlb() {
        Task t = cpu.current();
        long a = map(0);
        long b = map(1);
        m.mmu().read(cpu, a, 0);
        m.mmu().read(cpu, b, 0);
        assertThat(m.scheduler().contextSwitch(cpu, m.scheduler().newTask("u"))).isTrue();
        // __kmap_local_sched_out flushes each live slot by its own address, not the top's only.
        assertThat(cpu.tlb().lookup(m.pageTable().index(a))).isZero();
        assertThat(cpu.tlb().lookup(m.pageTable().index(b))).isZero();
        assertThat(m.scheduler().contextSwitch(cpu, t)).isTrue();
        assertThat(pte(a)).isEqualTo(m.highPage(0).pfn());
        assertThat(pte(b)).isEqualTo(m.highPage(1).pfn());
        kl.kunmapLocal(cpu, b);
        kl.kunmapLocal(cpu, a);
        assertThat(m.log().total()).isZero();
    }

    @Test
    void armLikeUnmapsTheNamedSlotOutOfOrder() {
        use(Tiny.config(Profile.ARM_LIKE, 2));
        long a = map(0);
        long b = map(1);
        kl.kunmapLocal(cpu, a);
        assertThat(warningAt("mm/highmem.c:610")).isNotNull();
        // KMAP_LOCAL_NON_LINEAR_PTE_ARRAY: the PTE is looked up from the address.
        assertThat(mapped(a)).isFalse();
        assertThat(pte(b)).isEqualTo(m.highPage(1).pfn());
    }

    @Test
    void theSixteenthNestedMapOverflowsTheStack() {
        for (int i = 0; i < 15; i++) {
            map(i % 8);
        }
        assertThat(kl.depth(cpu)).isEqualTo(15);
        Oops oops = assertThrows(Oops.class, () -> map(0));
        assertThat(oops.report().lines()).contains("kernel BUG at mm/highmem.c:467!",
                "EIP: __kmap_local_pfn_prot");
    }

    @Test
    void debugKmapLocalAllowsSixteenMapsWithGuardsBetween() {
        use(Tiny.config(Profile.X86_PAE, 2).debugKmapLocal(true));
        long[] va = new long[16];
        for (int i = 0; i < 16; i++) {
            va[i] = map(i % 8);
        }
        assertThat(va[1] - va[0]).as("a guard page between").isEqualTo(-0x2000L);
        assertThat(mapped(va[0] - 0x1000)).as("guard").isFalse();
        assertThatThrownBy(() -> m.mmu().read(cpu, va[0] - 0x1000, 0)).isInstanceOf(Oops.class);
        assertThat(cpu.current().kmapCtrl().idx()).isEqualTo(32);
        assertThatThrownBy(() -> map(0)).hasMessageContaining("kernel BUG at mm/highmem.c:467!");
    }

    @Test
    void unmapOnAnEmptyStackWarnsAndUnderflows() {
        Oops oops = assertThrows(Oops.class, () -> kl.kunmapLocal(cpu, 0xfffb_b000L));
        assertThat(warningAt("mm/highmem.c:610")).isNotNull();
        assertThat(oops.report().lines()).contains("kernel BUG at mm/highmem.c:479!",
                "EIP: kunmap_local_indexed");
    }

    @Test
    void anInterruptBetweenNestedMapsTakesTheNextSlotAndLeavesTheStackAsItFoundIt() {
        long a = map(0);
        long b = map(1);
        m.mmu().write(cpu, a, 0, 10);
        m.mmu().write(cpu, b, 0, 11);
        long[] inIrq = new long[1];
        cpu.runInterrupt(() -> {
            long v = kl.kmapAtomic(cpu, m.highPage(2));
            inIrq[0] = v;
            m.mmu().write(cpu, v, 0, 12);
            assertThat(m.mmu().read(cpu, a, 0)).as("the task's mappings stay usable").isEqualTo(10);
            kl.kunmapAtomic(cpu, v);
        });
        assertThat(inIrq[0]).isEqualTo(0xfffb_9000L);
        assertThat(kl.depth(cpu)).isEqualTo(2);
        assertThat(m.mmu().read(cpu, b, 0)).isEqualTo(11);
        assertThat(m.highPage(2).peek(0)).isEqualTo(12);
        long c = map(3);
        assertThat(c).as("the IRQ's slot is free again").isEqualTo(inIrq[0]);
        kl.kunmapLocal(cpu, c);
        kl.kunmapLocal(cpu, b);
        kl.kunmapLocal(cpu, a);
        assertThat(cpu.preemptCount()).isZero();
        assertThat(cpu.migrateDisableCount()).isZero();
        assertThat(cpu.pagefaultDisableCount()).isZero();
        assertThat(m.log().total()).isZero();
        assertThat(m.statTotal(Stat.KMAP_LOCAL)).isEqualTo(4);
        assertThat(m.statTotal(Stat.KUNMAP_LOCAL)).isEqualTo(4);
        assertThat(m.statTotal(Stat.KMAP_LOCAL_IRQ)).isEqualTo(1);
        assertThat(kl.maxDepth()).isEqualTo(3);
    }

    @Test
    void pushingInHardIrqWithIrqsEnabledWarns() {
        cpu.irqEnter();
        cpu.localIrqEnable();
        long v = map(0);
        kl.kunmapLocal(cpu, v);
        cpu.localIrqDisable();
        cpu.irqExit();
        assertThat(warningAt("mm/highmem.c:465")).isEqualTo(
                "WARNING: CPU: 0 PID: 100 at mm/highmem.c:465 __kmap_local_pfn_prot");
    }

    @Test
    void kmapAtomicIsAtomicUntilItsUnmap() {
        long v = kl.kmapAtomic(cpu, m.highPage(4));
        assertThat(cpu.preemptCount()).isEqualTo(1);
        assertThat(cpu.pagefaultDisableCount()).isEqualTo(1);
        assertThat(cpu.migrateDisableCount()).isEqualTo(1);
        kl.kunmapAtomic(cpu, v);
        assertThat(cpu.preemptCount()).isZero();
        assertThat(cpu.pagefaultDisableCount()).isZero();
        assertThat(cpu.migrateDisableCount()).isZero();
    }

    @Test
    void kmapInsideKmapAtomicReportsSleepingInAtomicContext() {
        long v = kl.kmapAtomic(cpu, m.highPage(0));
        long p = m.highmem().kmap(cpu, m.highPage(1));
        m.highmem().kunmap(cpu, m.highPage(1));
        kl.kunmapAtomic(cpu, v);
        Report r = m.log().reports().get(0);
        assertThat(r.kind()).isEqualTo(ReportKind.SLEEP_IN_ATOMIC);
        assertThat(r.lines()).containsSequence(
                "BUG: sleeping function called from invalid context at include/linux/highmem-internal.h:44",
                "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 100, name: kmap/0");
        assertThat(p).as("kmap itself still worked").isEqualTo(0xff00_1000L);
    }

    @Test
    void lowmemPagesAreNotMappedUnlessForceMap() {
        Page low = m.lowPage(3);
        long va = kl.kmapLocalPage(cpu, low);
        assertThat(va).isEqualTo(0xc000_3000L);
        assertThat(cpu.migrateDisableCount()).isZero();
        kl.kunmapLocal(cpu, va);
        assertThat(m.statTotal(Stat.KMAP_LOCAL)).isZero();

        use(Tiny.config(Profile.X86_PAE, 2).forceMap(true));
        low = m.lowPage(3);
        low.payload()[2] = 99;
        va = kl.kmapLocalPage(cpu, low);
        assertThat(va).as("debug layout: stack index 1").isEqualTo(0xfffb_a000L);
        assertThat(m.mmu().read(cpu, va, 2)).isEqualTo(99);
        kl.kunmapLocal(cpu, va);
        assertThat(m.log().total()).isZero();
        kl.kunmapLocal(cpu, 0xc000_3000L);
        assertThat(warningAt("mm/highmem.c:594")).as("no FORCE_MAP mapping is outside the fixmap")
                .isEqualTo("WARNING: CPU: 0 PID: 100 at mm/highmem.c:594 kunmap_local_indexed");
    }

    @Test
    void unmappingAUserAddressWarns() {
        kl.kunmapLocal(cpu, 0x0804_8000L);
        assertThat(warningAt("mm/highmem.c:604")).isNotNull();
        assertThat(kl.depth(cpu)).isZero();
    }

    @Test
    void armLikeTriesKmapHighGetFirst() {
        use(Tiny.config(Profile.ARM_LIKE, 2));
        long pk = m.highmem().kmap(cpu, m.highPage(0));
        int nr = m.layout().pkmapNr(pk);
        long va = map(0);
        assertThat(va).as("the existing PKMAP mapping, pinned").isEqualTo(pk);
        assertThat(m.pkmap().pkmapCount(nr)).isEqualTo(3);
        assertThat(cpu.migrateDisableCount()).isZero();
        kl.kunmapLocal(cpu, va);
        assertThat(m.pkmap().pkmapCount(nr)).as("kunmap_local released the pin").isEqualTo(2);
        assertThat(map(1)).as("an unmapped page gets a fixmap slot").isEqualTo(0xffef_e000L);
        assertThat(m.statTotal(Stat.KMAP_HIGH_GET)).isEqualTo(1);
    }

    @Test
    void kmapToPageWalksTheCurrentTasksStackExceptAtTheKernelsBoundary() {
        long first = map(4);
        long nested = map(5);
        assertThat(m.highmem().kmapToPage(cpu, nested + 0x10)).isSameAs(m.highPage(5));
        assertThat(warningAt("mm/highmem.c:167")).isEqualTo(
                "WARNING: CPU: 0 PID: 100 at mm/highmem.c:167 __kmap_to_page");
        // 6.1's '<' test leaves FIX_KMAP_BEGIN's own slot out: virt_to_page, no page here.
        assertThat(first).isEqualTo(0xfffb_b000L);
        assertThat(m.highmem().kmapToPage(cpu, first)).isNull();
        assertThat(m.log().count(ReportKind.WARNING)).as("once per site").isEqualTo(1);
        kl.kunmapLocal(cpu, nested);
        assertThat(m.highmem().kmapToPage(cpu, nested)).as("not in the stack any more").isNull();
        kl.kunmapLocal(cpu, first);
    }

    @Test
    void mappingOverALivePteIsABug() {
        int slot = m.pageTable().index(0xfffb_b000L);
        m.pageTable().set(slot, PageTable.mkPte(m.highPage(7)));
        assertThatThrownBy(() -> map(0)).hasMessageContaining("kernel BUG at mm/highmem.c:552!");
    }

    @Test
    void theRoundTripAllocatesNothing() {
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Page p = m.highPage(3);
        int sum = 0;
        // The quietest of several rounds: JIT activity (deoptimisation) may allocate now and
        // then; a per-operation allocation would show in every round as megabytes.
        long quietest = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                long v = kl.kmapLocalPage(cpu, p);
                sum += m.mmu().read(cpu, v, 0);
                m.mmu().write(cpu, v, 1, i);
                long w = kl.kmapAtomic(cpu, p);
                sum += m.mmu().read(cpu, w, 0);
                kl.kunmapAtomic(cpu, w);
                kl.kunmapLocal(cpu, v);
            }
            if (round > 0) {
                quietest = Math.min(quietest, bean.getCurrentThreadAllocatedBytes() - before);
            }
        }
        assertThat(quietest).as("bytes for 100k kmap_local + kmap_atomic round trips").isLessThan(1_000);
        assertThat(sum).isZero();
        assertThat(p.peek(1)).isEqualTo(99_999);
    }
}
