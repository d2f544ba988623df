package dev.kmapstress.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Oops;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Task;
import dev.kmapstress.machine.Tiny;
import dev.kmapstress.mm.KmapLocal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tasks sharing a CPU: the context switch clears the outgoing task's kmap_local PTEs and
 * restores the incoming task's; fork starts empty; a migration-disabled task stays put.
 */
class ContextSwitchTest {

    private static boolean mapped(Machine m, long vaddr) {
        return m.pageTable().get(m.pageTable().index(vaddr)) != 0;
    }

    @Test
    void aTaskSwitchedOutAndBackInSeesItsData() {
        Machine m = Tiny.x86(2);
        KmapLocal kl = m.kmapLocal();
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            Task t = cpu.current();
            Task u = m.scheduler().newTask("other");
            long a = kl.kmapLocalPage(cpu, m.highPage(0));
            m.mmu().write(cpu, a, 0, 42);

            assertThat(m.scheduler().contextSwitch(cpu, u)).isTrue();
            assertThat(cpu.current()).isSameAs(u);
            assertThat(mapped(m, a)).as("sched_out cleared t's PTE").isFalse();
            assertThat(cpu.migrateDisableCount()).as("u's own depth").isZero();
            assertThat(t.migrationDisabled()).as("saved in t").isEqualTo(1);
            long b = kl.kmapLocalPage(cpu, m.highPage(1));
            assertThat(b).as("u's stack starts at the same slot").isEqualTo(a);
            m.mmu().write(cpu, b, 0, 7);

            assertThat(m.scheduler().contextSwitch(cpu, t)).isTrue();
            assertThat(m.mmu().read(cpu, a, 0)).as("t's mapping is back, not u's").isEqualTo(42);
            assertThat(cpu.migrateDisableCount()).isEqualTo(1);
            kl.kunmapLocal(cpu, a);

            assertThat(m.scheduler().contextSwitch(cpu, u)).isTrue();
            assertThat(m.mmu().read(cpu, b, 0)).isEqualTo(7);
            kl.kunmapLocal(cpu, b);
            assertThat(m.highPage(0).peek(0)).isEqualTo(42);
            assertThat(m.highPage(1).peek(0)).isEqualTo(7);
            assertThat(m.log().total()).isZero();
        }
    }

    @Test
    void withoutTheSchedInRestoreTheReturningTaskFaults() {
        Machine m = Tiny.x86(2, Fault.NO_SCHED_IN_RESTORE);
        KmapLocal kl = m.kmapLocal();
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            Task t = cpu.current();
            long a = kl.kmapLocalPage(cpu, m.highPage(0));
            m.mmu().write(cpu, a, 0, 42);
            m.scheduler().contextSwitch(cpu, m.scheduler().newTask("other"));
            m.scheduler().contextSwitch(cpu, t);
            Oops oops = org.junit.jupiter.api.Assertions.assertThrows(Oops.class,
                    () -> m.mmu().read(cpu, a, 0));
            assertThat(oops.kind()).isEqualTo(ReportKind.PAGE_FAULT);
            assertThat(oops.report().headline()).isEqualTo("BUG: unable to handle page fault for address: fffbb000");
        }
    }

    @Test
    void debugGuardEntriesAreSkippedAcrossASwitch() {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 1).debugKmapLocal(true).build());
        KmapLocal kl = m.kmapLocal();
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            Task t = cpu.current();
            long a = kl.kmapLocalPage(cpu, m.highPage(0));
            long b = kl.kmapLocalPage(cpu, m.highPage(1));
            m.scheduler().contextSwitch(cpu, m.scheduler().newTask("other"));
            assertThat(mapped(m, a)).isFalse();
            assertThat(mapped(m, b)).isFalse();
            m.scheduler().contextSwitch(cpu, t);
            assertThat(mapped(m, a)).isTrue();
            assertThat(mapped(m, b)).isTrue();
            assertThat(mapped(m, a - 0x1000)).as("the guard between stays unmapped").isFalse();
            assertThat(m.log().total()).isZero();
        }
    }

    @Test
    void noPreemptionInsideKmapAtomicOrAnInterrupt() {
        Machine m = Tiny.x86(1);
        KmapLocal kl = m.kmapLocal();
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            Task t = cpu.current();
            Task u = m.scheduler().newTask("other");
            long v = kl.kmapAtomic(cpu, m.highPage(0));
            assertThat(m.scheduler().contextSwitch(cpu, u)).isFalse();
            assertThat(cpu.current()).isSameAs(t);
            assertThat(mapped(m, v)).isTrue();
            kl.kunmapAtomic(cpu, v);
            cpu.runInterrupt(() -> assertThat(m.scheduler().contextSwitch(cpu, u)).isFalse());
            cpu.localIrqDisable();
            assertThat(m.scheduler().contextSwitch(cpu, u)).as("IRQs off").isFalse();
            cpu.localIrqEnable();
            assertThat(u.onCpu()).isFalse();
            assertThat(m.scheduler().contextSwitch(cpu, u)).isTrue();
        }
    }

    @Test
    void forkGivesAnEmptyStackAndWarnsIfTheParentHeldMappings() {
        Machine m = Tiny.x86(1);
        KmapLocal kl = m.kmapLocal();
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            Task clean = m.scheduler().fork(cpu, "clean");
            assertThat(clean.kmapCtrl().idx()).isZero();
            assertThat(m.log().total()).isZero();

            long a = kl.kmapLocalPage(cpu, m.highPage(0));
            Task child = m.scheduler().fork(cpu, "child");
            assertThat(child.kmapCtrl().idx()).isZero();
            assertThat(child.kmapCtrl().pteval(0)).isZero();
            assertThat(child.cpu()).isZero();
            assertThat(m.log().reports().get(0).lines())
                    .contains("WARNING: CPU: 0 PID: 100 at mm/highmem.c:701 kmap_local_fork");
            assertThat(m.scheduler().contextSwitch(cpu, child)).isTrue();
            assertThat(kl.kmapLocalPage(cpu, m.highPage(1))).isEqualTo(a);
        }
    }

    @Test
    void aMigrationDisabledTaskIsNotMovedToAnotherCpu() throws Exception {
        Machine m = Tiny.x86(2);
        KmapLocal kl = m.kmapLocal();
        Task t;
        Task u = m.scheduler().newTask("u");
        long a;
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            t = cpu.current();
            a = kl.kmapLocalPage(cpu, m.highPage(0));
            m.scheduler().contextSwitch(cpu, u);
        }
        Task tt = t;
        // CPU 1 runs on another thread, as it would in a torture run.
        Boolean moved = CompletableFuture.supplyAsync(() -> {
            try (Cpu.Scope s = m.cpu(1).enter()) {
                return m.scheduler().contextSwitch(s.cpu(), tt);
            }
        }).get(10, TimeUnit.SECONDS);
        assertThat(moved).isFalse();
        assertThat(t.onCpu()).isFalse();
        assertThat(m.log().reports().get(0).lines())
                .contains("WARNING: CPU: 1 PID: 101 at kernel/sched/core.c:3162 set_task_cpu");
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            assertThat(m.scheduler().contextSwitch(cpu, t)).isTrue();
            kl.kunmapLocal(cpu, a);
            assertThat(m.scheduler().contextSwitch(cpu, u)).isTrue();
        }
        try (Cpu.Scope s = m.cpu(1).enter()) {
            assertThat(m.scheduler().contextSwitch(s.cpu(), t)).as("free to move now").isTrue();
            assertThat(t.cpu()).isEqualTo(1);
            assertThat(kl.kmapLocalPage(s.cpu(), m.highPage(0))).isEqualTo(0xfffa_b000L);
        }
    }

    @Test
    void aTaskRunsOnOneCpuAtATime() {
        Machine m = Tiny.x86(2);
        Task t0 = m.cpu(0).current();
        assertThat(t0.onCpu()).isTrue();
        try (Cpu.Scope s = m.cpu(1).enter()) {
            assertThatThrownBy(() -> m.scheduler().contextSwitch(s.cpu(), t0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("task kmap/0:100 is running on CPU 0; CPU#1 cannot switch to it");
        }
    }
}
