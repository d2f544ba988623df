package dev.kmapstress.machine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Models {@code struct wait_queue_entry} with {@code default_wake_function}: an intrusive list
 * node naming its task, with the {@code list_add}/{@code list_del_init} of include/linux/list.h
 * that the wait queues ({@code dev.kmapstress.sched.WaitQueueHead}) link it with. Links are
 * guarded by the head's lock, except the head's {@code next}, which {@code waitqueue_active()}
 * reads without it: that link is written with release and read with acquire.
 */
public final class WaitQueueEntry {

    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(WaitQueueEntry.class, "next", WaitQueueEntry.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Task task;
    private WaitQueueEntry next;
    private WaitQueueEntry prev;

    WaitQueueEntry(Task task) {
        this.task = task;
        this.next = this;
        this.prev = this;
    }

    /** A list head ({@code LIST_HEAD_INIT}): an entry of no task, linked to itself. */
    public static WaitQueueEntry listHead() {
        return new WaitQueueEntry(null);
    }

    /** The task this entry wakes. */
    public Task task() { return task; }

    /** Whether the entry is linked on a queue (for checks; read under the queue's lock). */
    public boolean queued() {
        return next != this;
    }

    /** The next entry (under the queue's lock, or racily for reports). */
    public WaitQueueEntry next() {
        return next;
    }

    /** The next entry, read with acquire and without the queue's lock ({@code waitqueue_active()}). */
    public WaitQueueEntry nextAcquire() {
        return (WaitQueueEntry) NEXT.getAcquire(this);
    }

    /** Models {@code list_add()}: links this entry right after {@code head}, publishing it last. */
    public void listAdd(WaitQueueEntry head) {
        next = head.next;
        prev = head;
        head.next.prev = this;
        NEXT.setRelease(head, this);
    }

    /** Models {@code list_del_init()}: unlinks this entry and links it to itself. */
    public void listDelInit() {
        NEXT.setRelease(prev, next);
        next.prev = prev;
        next = this;
        prev = this;
    }
}
