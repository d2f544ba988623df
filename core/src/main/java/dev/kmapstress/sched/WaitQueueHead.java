package dev.kmapstress.sched;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Task;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.WaitQueueEntry;

/**
 * Models {@code wait_queue_head_t}: a spinlock and a list of entries. Entries are added at the
 * head ({@code __add_wait_queue}) and {@link #wakeUp} walks from the head, waking every entry
 * (the pkmap queue's entries are not exclusive).
 *
 * <p>The head's {@code next} link is read without the queue's lock by {@link #waitqueueActive()};
 * that read is acquire so a caller holding another lock that orders it after the enqueue (as
 * kunmap_high holds kmap_lock) sees the entry.
 */
public final class WaitQueueHead {

    /** What a CPU spins on in a wake-up walk that has left its list. */
    static final String ENDLESS_QUEUE = "a wait queue list that never returns to its head";

    private final Spinlock lock;
    private final WaitQueueEntry head = WaitQueueEntry.listHead();
    private final Scheduler scheduler;
    private final boolean wakeOne;

    public WaitQueueHead(Spinlock lock, Scheduler scheduler, boolean wakeOneFault) {
        this.lock = lock;
        this.scheduler = scheduler;
        this.wakeOne = wakeOneFault;
    }

    /** Models {@code add_wait_queue()}. */
    public void addWaitQueue(Cpu cpu, WaitQueueEntry entry) {
        boolean flags = lock.spinLockIrqsave(cpu);
        entry.listAdd(head);
        trace(cpu, "add_wait_queue ", entry.task());
        lock.spinUnlockIrqrestore(cpu, flags);
    }

    /** Models {@code remove_wait_queue()}. */
    public void removeWaitQueue(Cpu cpu, WaitQueueEntry entry) {
        boolean flags = lock.spinLockIrqsave(cpu);
        entry.listDelInit();
        trace(cpu, "remove_wait_queue ", entry.task());
        lock.spinUnlockIrqrestore(cpu, flags);
    }

    /**
     * Models {@code waitqueue_active()}: whether any entry is queued, read without the queue's
     * lock. Only safe where the caller's own locking orders it after every enqueue it must see.
     */
    public boolean waitqueueActive() {
        return head.nextAcquire() != head;
    }

    /**
     * Models {@code wake_up()} ({@code __wake_up_common()} under the queue's lock): wakes the
     * task of every entry (with fault {@link Fault#WAKE_ONE}, only the first). Each entry's
     * successor is read before its task is woken, as {@code list_for_each_entry_safe_from}
     * does, so an entry taken off the queue (and linked to itself) once its task is woken, as
     * {@code autoremove_wake_function} does inside the walk, does not trap the walk there. Not
     * modelled: the kernel's break every 64 entries to let the lock go (its bookmark).
     *
     * <p>A walk past one entry per task ({@link Scheduler#nrThreads}) has left its list, which
     * only CPUs editing it at once (a broken lock) can make it do, and may never get back to the
     * head: it spins there, where the lockup detectors see it (a hard lockup, under the queue's
     * lock), instead of going round for ever.
     */
    public void wakeUp(Cpu cpu) {
        boolean flags = lock.spinLockIrqsave(cpu);
        int entries = scheduler.nrThreads();
        long steps = 0;
        WaitQueueEntry curr = head.next();
        while (curr != head) {
            WaitQueueEntry next = curr.next();
            if (++steps > entries) {
                cpu.spinInCorruptList(ENDLESS_QUEUE, steps - entries);
            }
            if (scheduler.tryToWakeUp(curr.task())) {
                cpu.stats().inc(Stat.WAKEUP);
                trace(cpu, "try_to_wake_up ", curr.task());
            }
            if (wakeOne) {
                break;
            }
            curr = next;
        }
        lock.spinUnlockIrqrestore(cpu, flags);
    }

    private void trace(Cpu cpu, String what, Task task) {
        if (scheduler.tracer() != null) scheduler.tracer().trace(cpu, Tracepoint.EVENT, task, what + task);
    }

    /**
     * The number of queued entries, read racily for reports: a walk that lands on an entry
     * being removed (linked to itself) stops there, and so does one that has counted an entry
     * per task (a list that CPUs edited at once may never return to its head).
     */
    public int length() {
        int entries = scheduler.nrThreads();
        int n = 0;
        for (WaitQueueEntry e = head.next(); e != head && n < entries; e = e.next()) {
            n++;
            if (e.next() == e) {
                break;
            }
        }
        return n;
    }
}
