package dev.kmapstress.machine;

import dev.kmapstress.sched.Scheduler;
import java.util.Arrays;

/**
 * Models {@code struct kmap_ctrl}, a task's kmap_local stack: the index of the next free stack
 * entry and the PTE value saved for every entry below it, so a context switch can clear the
 * task's live fixmap PTEs and restore them when it runs again.
 *
 * <p>Only the thread running the CPU whose current task this is touches it; the scheduler's
 * hand-over of a task between CPUs orders those threads (see {@link Scheduler#contextSwitch}).
 * The array has room for the larger KM_MAX_IDX (33, DEBUG_KMAP_LOCAL) whatever the machine's
 * setting, so tasks are built without knowing their machine; the kmap_local code bounds the
 * index by the machine's own KM_MAX_IDX.
 */
public final class KmapCtrl {

    private int idx;
    private final long[] pteval = new long[Profile.KM_MAX_IDX_DEBUG];

    KmapCtrl() {
    }

    /** {@code kmap_ctrl.idx}: stack entries in use (times KM_INCR). */
    public int idx() { return idx; }

    public void setIdx(int idx) { this.idx = idx; }

    /** {@code kmap_ctrl.pteval[i]}: the PTE value saved for stack entry {@code i}, 0 if none. */
    public long pteval(int i) { return pteval[i]; }

    public void setPteval(int i, long pte) { pteval[i] = pte; }

    /** Copies {@code other} (the task_struct copy fork makes before kmap_local_fork checks it). */
    public void copyFrom(KmapCtrl other) {
        idx = other.idx;
        System.arraycopy(other.pteval, 0, pteval, 0, pteval.length);
    }

    /** Empties the stack ({@code memset(&tsk->kmap_ctrl, 0, ...)}). */
    public void clear() {
        idx = 0;
        Arrays.fill(pteval, 0L);
    }
}
