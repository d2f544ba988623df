package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Tiny;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** kmap_local on two CPUs at once: per-CPU slots never meet, unless SHARED_LOCAL_INDEX merges them. */
class KmapLocalCpusTest {

    private static final int ROUNDS = 2_000;

    /**
     * CPU {@code id} maps its own page, meets the other CPU while both hold their mapping,
     * checks that it reads its own data, and unmaps; returns the addresses it saw.
     */
    private static List<Long> holdTogether(Machine m, int id, CyclicBarrier both) throws Exception {
        List<Long> seen = new ArrayList<>();
        try (Cpu.Scope s = m.cpu(id).enter()) {
            Cpu cpu = s.cpu();
            KmapLocal kl = m.kmapLocal();
            for (int i = 0; i < ROUNDS; i++) {
                long v = kl.kmapLocalPage(cpu, m.highPage(id));
                m.mmu().write(cpu, v, 0, i * 2 + id);
                both.await(10, TimeUnit.SECONDS);
                if (m.mmu().read(cpu, v, 0) != i * 2 + id) {
                    throw new AssertionError("CPU " + id + " read another CPU's data at round " + i);
                }
                seen.add(v);
                kl.kunmapLocal(cpu, v);
            }
        }
        return seen;
    }

    @Test
    void twoCpusMappingAtOnceNeverShareASlot() throws Exception {
        Machine m = Tiny.x86(2);
        CyclicBarrier both = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<Long>> c0 = pool.submit(() -> holdTogether(m, 0, both));
            Future<List<Long>> c1 = pool.submit(() -> holdTogether(m, 1, both));
            assertThat(c0.get(30, TimeUnit.SECONDS)).containsOnly(0xfffb_b000L);
            assertThat(c1.get(30, TimeUnit.SECONDS)).containsOnly(0xfffa_b000L);
        } finally {
            pool.shutdownNow();
        }
        assertThat(m.log().total()).isZero();
    }

    @Test
    void withSharedLocalIndexTheCpusVisiblyShareSlots() {
        Machine m = Tiny.x86(2, Fault.SHARED_LOCAL_INDEX);
        KmapLocal kl = m.kmapLocal();
        try (Cpu.Scope a = m.cpu(0).enter(); Cpu.Scope b = m.cpu(1).enter()) {
            long v0 = kl.kmapLocalPage(a.cpu(), m.highPage(0));
            kl.kunmapLocal(a.cpu(), v0);
            long v1 = kl.kmapLocalPage(b.cpu(), m.highPage(1));
            assertThat(v1).as("CPU 1 got CPU 0's slot").isEqualTo(v0).isEqualTo(0xfffb_b000L);
            assertThatThrownBy(() -> kl.kmapLocalPage(a.cpu(), m.highPage(0)))
                    .hasMessageContaining("kernel BUG at mm/highmem.c:552!");
        }
    }

    @Test
    void theCorrectModelKeepsTheSameInterleavingApart() {
        Machine m = Tiny.x86(2);
        KmapLocal kl = m.kmapLocal();
        try (Cpu.Scope a = m.cpu(0).enter(); Cpu.Scope b = m.cpu(1).enter()) {
            long v1 = kl.kmapLocalPage(b.cpu(), m.highPage(1));
            long v0 = kl.kmapLocalPage(a.cpu(), m.highPage(0));
            assertThat(v0).isNotEqualTo(v1);
            assertThat(m.mmu().translate(a.cpu(), v0, false)).isSameAs(m.highPage(0));
            assertThat(m.mmu().translate(b.cpu(), v1, false)).isSameAs(m.highPage(1));
        }
    }
}
