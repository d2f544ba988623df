package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.KmapCtrl;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Task;
import dev.kmapstress.machine.Tiny;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The steps of __kmap_local_pfn_prot, kunmap_local_indexed and the sched hooks on one CPU, in
 * mm/highmem.c's order, with the architecture hooks of x86 and ARM, and the checks of each
 * (WARN_ON_ONCE on guard and empty entries, the range test of kunmap_local_indexed).
 */
class KmapLocalStepsTest {

    private final Steps steps = new Steps();

    private Machine machine(MachineConfig.Builder config) {
        return Machine.build(config.build(), steps);
    }

    private static void as(Machine m, Consumer<Cpu> body) {
        try (Cpu.Scope s = m.cpu(0).enter()) {
            body.accept(s.cpu());
        }
    }

    @Test
    void x86MapsThenSavesAndUnmapsThenFlushesTheLocalTlb() {
        Machine m = machine(Tiny.config(Profile.X86_PAE, 2));
        as(m, cpu -> {
            long a = m.kmapLocal().kmapLocalPage(cpu, m.highPage(0));
            m.kmapLocal().kunmapLocal(cpu, a);
        });
        assertThat(steps.of(0)).containsExactly("kmap_local push idx 0: 0xfffbb000 -> p0",
                "kmap_local pop idx 0: 0xfffbb000 cleared", "flush_tlb_one_kernel 0xfffbb000");
    }

    @Test
    void armTriesKmapHighGetThenMapsAndFlushesTheLocalTlbAfterMapping() {
        Machine m = machine(Tiny.config(Profile.ARM_LIKE, 2));
        long[] a = new long[1];
        as(m, cpu -> a[0] = m.kmapLocal().kmapLocalPage(cpu, m.highPage(0)));
        String addr = String.format("0x%08x", a[0]);
        String bucket = "page_address_htable[" + m.pageAddressTable().bucketOf(m.highPage(0)) + "].lock";
        assertThat(steps.of(0)).as("arch_kmap_local_high_get first: p0 has no PKMAP mapping to pin").containsExactly(
                "spin_lock_irqsave kmap_lock", "spin_lock_irqsave " + bucket, "spin_unlock_irqrestore " + bucket,
                "page_address p0 -> NULL", "spin_unlock_irqrestore kmap_lock",
                "kmap_local push idx 0: " + addr + " -> p0", "flush_tlb_one_kernel " + addr);
    }

    @Test
    void armRestoresAPteAtSchedInAndFlushesItLocally() {
        Machine m = machine(Tiny.config(Profile.ARM_LIKE, 2));
        as(m, cpu -> {
            Task t = cpu.current();
            long a = m.kmapLocal().kmapLocalPage(cpu, m.highPage(0));
            m.scheduler().contextSwitch(cpu, m.scheduler().newTask("u"));
            steps.clear();
            m.scheduler().contextSwitch(cpu, t);
            String addr = String.format("0x%08x", a);
            assertThat(steps.of(0)).containsExactly("context_switch u:102 kmap/0:100",
                    "kmap_local_sched_in: " + addr + " -> p0", "flush_tlb_one_kernel " + addr);
        });
    }

    @Test
    void aFrameTheMachineHasNoPageForIsTracedByItsPfn() {
        Machine m = machine(Tiny.config(Profile.X86_PAE, 1));
        as(m, cpu -> m.kmapLocal().kmapLocalPfn(cpu, 0x12345));
        assertThat(steps.of(0)).containsExactly("kmap_local push idx 0: 0xfffbb000 -> pfn 74565");
    }

    @Test
    void theStackIndexAndDepthCountMappingsWhateverKmIncr() {
        for (boolean debug : new boolean[] {false, true}) {
            Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 1).debugKmapLocal(debug).build());
            KmapLocal kl = m.kmapLocal();
            as(m, cpu -> {
                assertThat(kl.kmapLocalIdx(cpu)).as("empty").isEqualTo(-1);
                kl.kmapLocalPage(cpu, m.highPage(0));
                assertThat(kl.kmapLocalIdx(cpu)).as("debug=%s", debug).isEqualTo(debug ? 1 : 0);
                kl.kmapLocalPage(cpu, m.highPage(1));
                kl.kmapLocalPage(cpu, m.highPage(2));
                assertThat(kl.depth(cpu)).isEqualTo(3);
                assertThat(kl.maxDepth()).isEqualTo(3);
                assertThat(cpu.stats().get(Stat.KMAP_LOCAL_MAX_DEPTH)).isEqualTo(3);
            });
        }
    }

    @Test
    void theLowestFixKmapAddressIsInsideTheRangeUnmapChecks() {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 2).build());
        long fixKmapEnd = m.layout().fixToVirt(m.layout().fixKmapEnd());
        as(m, cpu -> {
            m.kmapLocal().kmapLocalPage(cpu, m.highPage(0));
            m.kmapLocal().kunmapLocal(cpu, fixKmapEnd);
            assertThat(m.kmapLocal().depth(cpu)).as("x86 popped the top anyway").isZero();
        });
        assertThat(m.log().reports().get(0).lines())
                .contains("WARNING: CPU: 0 PID: 100 at mm/highmem.c:610 kunmap_local_indexed");
    }

    @Test
    void unmappingTheFirstLowmemAddressNeedsNothing() {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 1).build());
        as(m, cpu -> {
            long a = m.kmapLocal().kmapLocalPage(cpu, m.lowPage(0));
            assertThat(a).isEqualTo(m.layout().pageOffset());
            m.kmapLocal().kunmapLocal(cpu, a);
        });
        assertThat(m.log().total()).isZero();
    }

    @Test
    void armReleasesAKmapHighGetPinWithoutAWarning() {
        Machine m = Machine.build(Tiny.config(Profile.ARM_LIKE, 1).build());
        as(m, cpu -> {
            long va = m.highmem().kmap(cpu, m.highPage(0));
            assertThat(m.kmapLocal().kmapLocalPage(cpu, m.highPage(0))).isEqualTo(va);
            m.kmapLocal().kunmapLocal(cpu, va);
            assertThat(m.pkmap().pkmapCount(m.layout().pkmapNr(va))).isEqualTo(2);
        });
        assertThat(m.log().total()).isZero();
    }

    @Test
    void aFolioMapsItsFirstPageAtOffsetZero() {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 1).build());
        as(m, cpu -> assertThat(m.kmapLocal().kmapLocalFolio(cpu, m.highPage(0), 0)).isEqualTo(0xfffb_b000L));
    }

    @Test
    void kmapAtomicProtDisablesPageFaultsAndPreemptionUntilItsUnmap() {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 1).build());
        as(m, cpu -> {
            long a = m.kmapLocal().kmapAtomicProt(cpu, m.highPage(0), PageTable.PAGE_KERNEL);
            assertThat(cpu.pagefaultDisableCount()).isEqualTo(1);
            assertThat(cpu.preemptCount()).isEqualTo(1);
            m.kmapLocal().kunmapAtomic(cpu, a);
            assertThat(cpu.pagefaultDisableCount()).isZero();
            assertThat(cpu.preemptCount()).isZero();
        });
    }

    /** A debug machine where CPU 0's task holds one mapping (stack entry 1; entry 0 its guard). */
    private static Machine debugWithOneMapping() {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 1).debugKmapLocal(true).build());
        as(m, cpu -> m.kmapLocal().kmapLocalPage(cpu, m.highPage(0)));
        return m;
    }

    /** Switches CPU 0 to a new task and back: __kmap_local_sched_out, then __kmap_local_sched_in. */
    private static void switchOutAndBack(Machine m) {
        as(m, cpu -> {
            Task t = cpu.current();
            m.scheduler().contextSwitch(cpu, m.scheduler().newTask("u"));
            m.scheduler().contextSwitch(cpu, t);
        });
    }

    @Test
    void aSavedPteInAGuardEntryWarnsAtSchedOutAndAtSchedIn() {
        Machine m = debugWithOneMapping();
        KmapCtrl k = m.cpu(0).current().kmapCtrl();
        k.setPteval(0, k.pteval(1));
        switchOutAndBack(m);
        assertThat(m.log().count(ReportKind.WARNING)).isEqualTo(2);
        assertThat(m.log().reports().get(0).lines())
                .contains("WARNING: CPU: 0 PID: 100 at mm/highmem.c:647 __kmap_local_sched_out");
        assertThat(m.log().reports().get(1).lines())
                .contains("WARNING: CPU: 0 PID: 100 at mm/highmem.c:684 __kmap_local_sched_in");
    }

    @Test
    void aUsedEntryWithNoSavedPteWarnsAtSchedOutAndAtSchedIn() {
        Machine m = debugWithOneMapping();
        m.cpu(0).current().kmapCtrl().setPteval(1, 0);
        switchOutAndBack(m);
        assertThat(m.log().reports()).hasSize(2);
        assertThat(m.log().reports().get(0).lines())
                .contains("WARNING: CPU: 0 PID: 100 at mm/highmem.c:650 __kmap_local_sched_out");
        assertThat(m.log().reports().get(1).lines())
                .contains("WARNING: CPU: 0 PID: 100 at mm/highmem.c:687 __kmap_local_sched_in");
    }
}
