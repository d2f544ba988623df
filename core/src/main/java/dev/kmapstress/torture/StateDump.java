package dev.kmapstress.torture;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Task;
import dev.kmapstress.mm.Pkmap;
import java.util.ArrayList;
import java.util.List;

/**
 * What a person needs to see when a run hangs: per worker, its CPU's context and what it waits
 * for, each task's state, and the Java stack of the thread; then the model's kmap state (who
 * holds kmap_lock, the wait queues, the PKMAP slots by count) and the harness's slot budget.
 * Read racily from another thread, as the kernel's sysrq dumps are.
 */
final class StateDump {

    private static final int MAX_FRAMES = 32;
    private static final int MAX_SLOTS_LISTED = 64;

    private final Machine machine;
    private final PageLedger ledger;
    private final List<Worker> workers;
    private final long startNanos;

    StateDump(Machine machine, PageLedger ledger, List<Worker> workers, long startNanos) {
        this.machine = machine;
        this.ledger = ledger;
        this.workers = workers;
        this.startNanos = startNanos;
    }

    /** The dump, one line per entry. */
    List<String> lines() {
        long now = System.nanoTime();
        List<String> l = new ArrayList<>();
        l.add(String.format("kmap-stress state at %.3f s:", (now - startNanos) / 1e9));
        for (Worker w : workers) {
            worker(l, w, now);
        }
        pkmap(l);
        return l;
    }

    private void worker(List<String> l, Worker w, long now) {
        Cpu c = w.cpu();
        long spin = c.spinningSince();
        l.add(String.format("  CPU#%d worker %s, IRQs %s, preempt_count 0x%x%s", c.id(),
                w.state().name().toLowerCase(), c.irqsDisabled() ? "disabled" : "enabled",
                c.preemptCount(), spin == 0 ? ""
                        : String.format(", spinning on %s for %d ms", c.spinningOn(), (now - spin) / 1_000_000)));
        for (Task t : w.tasks()) {
            long since = t.sleepingSince();
            l.add(String.format("    task %s:%d state %s%s%s", t.name(), t.pid(),
                    t.state() == Task.TASK_RUNNING ? "R" : "D", t == c.current() ? " (current)" : "",
                    since == 0 ? "" : String.format(", asleep in schedule() for %d ms", (now - since) / 1_000_000)));
        }
        Thread thread = c.owner();
        if (thread == null) {
            l.add("    (no thread runs this CPU)");
            return;
        }
        l.add("    Java stack of '" + thread.getName() + "' (" + thread.getState() + "):");
        StackTraceElement[] frames = thread.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
            l.add("      at " + frames[i]);
        }
    }

    private void pkmap(List<String> l) {
        Pkmap p = machine.pkmap();
        int holder = p.kmapLock().holder();
        l.add("  kmap_lock: " + (holder < 0 ? "free" : "held by CPU#" + holder));
        for (int c = 0; c < p.colours(); c++) {
            l.add(String.format("  colour %d: %d task(s) in the pkmap wait queue, slot budget left %d",
                    c, p.getPkmapWaitQueueHead(c).length(), ledger.slotsLeft(c)));
        }
        int n = machine.layout().lastPkmap();
        int free = 0;
        int unused = 0;
        StringBuilder used = new StringBuilder();
        int listed = 0;
        for (int i = 0; i < n; i++) {
            int count = p.pkmapCount(i);
            if (count == 0) {
                free++;
            } else if (count == 1) {
                unused++;
            } else if (listed++ < MAX_SLOTS_LISTED) {
                used.append(' ').append(i).append('=').append(count);
            }
        }
        l.add(String.format("  PKMAP slots: %d free (count 0), %d unused awaiting a flush (count 1),"
                + " %d in use (slot=count):%s%s", free, unused, n - free - unused, used,
                listed > MAX_SLOTS_LISTED ? " ..." : ""));
    }
}
