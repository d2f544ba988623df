package dev.kmapstress.machine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A task ({@code struct task_struct}): name, pid, scheduling state, and the wait-queue entry it
 * declares when it sleeps ({@code DECLARE_WAITQUEUE(wait, current)} lives on the kernel stack;
 * here it is preallocated per task so that sleeping allocates nothing); its kmap_local stack
 * ({@link KmapCtrl}); where it runs ({@code on_cpu}, {@code task_cpu}) and, while it is switched
 * out, its migrate_disable and pagefault_disable depths (per task in the kernel; while it runs
 * they live in its {@link dev.kmapstress.machine.Cpu}).
 */
public final class Task {

    /** Models TASK_RUNNING. */
    public static final int TASK_RUNNING = 0;
    /** Models TASK_UNINTERRUPTIBLE. */
    public static final int TASK_UNINTERRUPTIBLE = 2;

    private static final VarHandle STATE;
    private static final VarHandle ON_CPU;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Task.class, "state", int.class);
            ON_CPU = MethodHandles.lookup().findVarHandle(Task.class, "onCpu", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final int pid;
    private final WaitQueueEntry waitEntry = new WaitQueueEntry(this);
    private final KmapCtrl kmapCtrl = new KmapCtrl();
    @SuppressWarnings("unused") private int state;
    /** {@code p->on_cpu}: claimed (acquire) by the CPU switching the task in, released after. */
    @SuppressWarnings("unused") private boolean onCpu;
    /** {@code task_cpu(p)}: the CPU it runs or last ran on, -1 before it first ran. */
    private int cpu = -1;
    /** {@code p->migration_disabled} and {@code p->pagefault_disabled} while switched out. */
    private int migrationDisabled;
    private int pagefaultDisabled;
    /** The thread to unpark on wake-up; set by the task before it parks. */
    private volatile Thread sleeper;
    /** When the task last went to sleep (System.nanoTime), for the hung-task detector. */
    private volatile long sleepingSince;

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

    /** Sets the scheduling state (the scheduler's {@code __set_current_state} and wake-up). */
    public void setState(int s) {
        STATE.setVolatile(this, s);
    }

    /** Its kmap_local stack ({@code current->kmap_ctrl}). */
    public KmapCtrl kmapCtrl() { return kmapCtrl; }

    /** Models {@code task_cpu()}: the CPU it runs or last ran on, -1 if it never ran. */
    public int cpu() { return cpu; }

    /** Models {@code __set_task_cpu()} (the scheduler's). */
    public void setCpu(int cpu) { this.cpu = cpu; }

    /** Models {@code task_on_cpu()}: whether a CPU runs it now; read from any thread. */
    public boolean onCpu() {
        return (boolean) ON_CPU.getAcquire(this);
    }

    /** Takes the task for a CPU; false if another CPU runs it (the scheduler's). */
    public boolean claimCpu() {
        return ON_CPU.compareAndSet(this, false, true);
    }

    /** Gives the task up after its CPU switched away from it (finish_task's release store). */
    public void releaseCpu() {
        ON_CPU.setRelease(this, false);
    }

    /**
     * Models {@code is_migration_disabled()} of a switched-out task: the depth saved when it was
     * switched out (for the running task, ask its CPU).
     */
    public int migrationDisabled() { return migrationDisabled; }

    /** The pagefault_disable depth saved when it was switched out. */
    public int pagefaultDisabled() { return pagefaultDisabled; }

    /** Saves the depths of a task being switched out (the scheduler's context switch). */
    public void saveDepths(int migrationDisabled, int pagefaultDisabled) {
        this.migrationDisabled = migrationDisabled;
        this.pagefaultDisabled = pagefaultDisabled;
    }

    /** The task's wait-queue entry. */
    public WaitQueueEntry waitEntry() { return waitEntry; }

    /** Since when the task has slept in schedule() (System.nanoTime), or 0 if it is not asleep. */
    public long sleepingSince() { return sleepingSince; }

    /** Records the thread that sleeps as this task (the scheduler's, before it reads the state). */
    public void setSleeper(Thread sleeper) { this.sleeper = sleeper; }

    /** Records since when the task sleeps, 0 when it is awake again (the scheduler's). */
    public void setSleepingSince(long since) { this.sleepingSince = since; }

    /** The thread to unpark to wake this task, or null if it never slept. */
    public Thread sleeper() { return sleeper; }

    /** {@code name:pid}, as the kernel's reports write a task. */
    @Override
    public String toString() {
        return name + ":" + pid;
    }
}
