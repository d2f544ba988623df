package dev.kmapstress.sched;

/**
 * Models {@code struct wait_queue_entry} with {@code default_wake_function}: an intrusive list
 * node naming its task. Links are guarded by the head's lock.
 */
public final class WaitQueueEntry {

    final Task task;
    WaitQueueEntry next;
    WaitQueueEntry prev;

    WaitQueueEntry(Task task) {
        this.task = task;
        this.next = this;
        this.prev = this;
    }

    /** The task this entry wakes. */
    public Task task() { return task; }

    /** Whether the entry is linked on a queue (for checks; read under the queue's lock). */
    public boolean queued() {
        return next != this;
    }
}
