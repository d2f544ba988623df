package dev.kmapstress.bench;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A JMH thread that runs as its own CPU for one operation at a time and walks the machine's
 * highmem pages round-robin (thread i visits pages i, i+T, i+2T, … of T threads).
 *
 * <p>Entering the CPU per operation is what makes benchmarks with TLB shootdowns and sleeps
 * safe: between operations the CPU is idle, so a shootdown sent by another CPU counts it as
 * acknowledged and it takes the flush when it enters again, exactly as the model treats a CPU
 * nobody runs. A CPU that stayed entered would leave a flushing CPU waiting forever once its
 * thread leaves JMH's measurement loop. The price, one enter and exit per operation, is
 * measured on its own by {@code Baselines.cpuEnterExit}.
 */
@State(Scope.Thread)
public abstract class Walker {

    private Cpu cpu;
    private int next;
    private int stride;

    /** Binds this thread to CPU {@code threadIndex} and to its first page. */
    protected final void place(Machine m, ThreadParams threads) {
        cpu = m.cpu(threads.getThreadIndex());
        next = threads.getThreadIndex() % m.highPageCount();
        stride = threads.getThreadCount();
    }

    /** The CPU this thread runs as, one operation at a time. */
    Cpu cpu() {
        return cpu;
    }

    /** The next page of this thread's walk. */
    Page nextPage(Machine m) {
        Page p = m.highPage(next);
        next = (next + stride) % m.highPageCount();
        return p;
    }

    /**
     * One use of the next page as a caller makes it, as this thread's CPU: a map (kmap_high,
     * or kmap_local_page when not {@code persistent}), a read through the mapping, the unmap.
     * The read is checked against the page's stamp (see {@link PagePool}), so a wrong
     * translation fails the benchmark instead of timing it.
     */
    int useNextPage(Machine m, boolean persistent) {
        try (Cpu.Scope s = cpu.enter()) {
            Page p = nextPage(m);
            long vaddr = persistent ? m.pkmap().kmapHigh(cpu, p) : m.kmapLocal().kmapLocalPage(cpu, p);
            int word = m.mmu().read(cpu, vaddr, 0);
            if (persistent) {
                m.pkmap().kunmapHigh(cpu, p);
            } else {
                m.kmapLocal().kunmapLocal(cpu, vaddr);
            }
            return PagePool.checkStamp(p, word);
        }
    }
}
