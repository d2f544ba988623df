package dev.kmapstress.bench;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import java.util.concurrent.ArrayBlockingQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Control;

/**
 * Asymmetric contention on kmap_lock: mappers kmap pages and hand the mappings over to an
 * unmapper, which kunmaps them, as a driver maps buffers in one thread and releases them in
 * another. When the unmapper falls a whole window behind (pool pressure MORE), mappers sleep in
 * map_new_virtual until its kunmap_high wakes them: this is where the wait-queue path is timed.
 * Change the sides with {@code -tg MAPPERS,UNMAPPERS} (default one each).
 *
 * <p>Waits on the other side (a full or empty hand-over queue) give up once JMH announces the
 * end of the measurement ({@link Control#stopMeasurement}, as in JMH sample 18), and from then
 * on mappers map nothing, so every sleeping mapper is woken by an unmapper still draining and
 * no thread is left waiting for one that has stopped.
 */
public class Handoff extends MatrixDefaults {

    /** The hand-over queue of one group: twice the window, so the window fills before it does. */
    @State(Scope.Group)
    public static class Mappings {
        ArrayBlockingQueue<Page> queue;

        @Setup(Level.Trial)
        public void setUp(PoolMachine m) {
            queue = new ArrayBlockingQueue<>(2 * m.machine().layout().lastPkmap());
        }

        /** Hands {@code page}'s mapping over, or releases it itself once the run is ending. */
        void handOver(Machine m, Cpu cpu, Page page, Control control) {
            while (!queue.offer(page)) {
                if (control.stopMeasurement) {
                    m.pkmap().kunmapHigh(cpu, page);
                    return;
                }
                spin(cpu);
            }
        }

        /** The next mapping to release, or null once the run is ending and there is none. */
        Page takeOver(Cpu cpu, Control control) {
            Page page;
            while ((page = queue.poll()) == null) {
                if (control.stopMeasurement) {
                    return null;
                }
                spin(cpu);
            }
            return page;
        }

        /** A wait with IRQs on: TLB shootdowns sent meanwhile are acknowledged. */
        private static void spin(Cpu cpu) {
            cpu.irqPoint();
            Thread.onSpinWait();
        }
    }

    /**
     * A mapper: kmap_high of its next page (a miss into map_new_virtual, or a sleep for a free
     * slot when the window is full) and the hand-over; compared with its unmapper and with
     * {@code KmapHigh.poolRoundTrip}, where one thread does both.
     */
    @Benchmark
    @Group("mappersVsUnmapper")
    @GroupThreads(1)
    public long mapper(PoolMachine m, PoolWalker w, Mappings mappings, Control control) {
        if (control.stopMeasurement) {
            return 0;
        }
        Machine machine = m.machine();
        try (Cpu.Scope s = w.cpu().enter()) {
            Page page = w.nextPage(machine);
            long vaddr = machine.pkmap().kmapHigh(s.cpu(), page);
            mappings.handOver(machine, s.cpu(), page, control);
            return vaddr;
        }
    }

    /** The unmapper: kunmap_high of the oldest handed-over mapping, waking sleeping mappers. */
    @Benchmark
    @Group("mappersVsUnmapper")
    @GroupThreads(1)
    public int unmapper(PoolMachine m, PoolWalker w, Mappings mappings, Control control) {
        try (Cpu.Scope s = w.cpu().enter()) {
            Page page = mappings.takeOver(s.cpu(), control);
            if (page == null) {
                return -1;
            }
            m.machine().pkmap().kunmapHigh(s.cpu(), page);
            return page.index();
        }
    }
}
