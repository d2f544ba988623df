package dev.kmapstress.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A task ({@code struct task_struct}): name, pid, scheduling state, and the wait-queue entry it
 * declares when it sleeps ({@code DECLARE_WAITQUEUE(wait, current)} lives on the kernel stack;
 * here it is preallocated per task so that sleeping allocates nothing).
 */
public final class Task {

    /** Models TASK_RUNNING. */
    public static final int TASK_RUNNING = 0;
    /** Models TASK_UNINTERRUPTIBLE. */
    public static final int TASK_UNINTERRUPTIBLE = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Task.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final int pid;
    private final WaitQueueEntry waitEntry = new WaitQueueEntry(this);
    @SuppressWarnings("unused") private int state;
    /** The thread to unpark on wake-up; set by the task before it parks. */
    volatile Thread sleeper;
    /** When the task last went to sleep (System.nanoTime), for the hung-task detector. */
    volatile long sleepingSince;

    public Task(String name, int pid) {
        this.name = name;
        this.pid = pid;
    }

    /** The task's name ({@code comm}). */
    public String name() { return name; }

    public int pid() { return pid; }

    /** The scheduling state, read from any thread. */
    public int state() {
        return (int) STATE.getVolatile(this);
    }

    void setState(int s) {
        STATE.setVolatile(this, s);
    }

    /** The task's wait-queue entry. */
    public WaitQueueEntry waitEntry() { return waitEntry; }

    /** Since when the task has slept in schedule() (System.nanoTime), or 0 if it is not asleep. */
    public long sleepingSince() { return sleepingSince; }

    /** {@code name:pid}, as the kernel's reports write a task. */
    @Override
    public String toString() {
        return name + ":" + pid;
    }
}
