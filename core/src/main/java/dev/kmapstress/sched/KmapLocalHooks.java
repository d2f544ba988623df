package dev.kmapstress.sched;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Task;

/**
 * What the scheduler calls in mm: kmap_local's hooks in {@code prepare_task_switch()},
 * {@code finish_task_switch()} and {@code copy_process()}. {@code dev.kmapstress.mm.KmapLocal}
 * implements them and the machine hands it to its {@link Scheduler}, so sched does not depend
 * on mm, which sleeps and wakes through sched.
 */
public interface KmapLocalHooks {

    /** Models {@code kmap_local_sched_out()}: the outgoing task's live mappings are cleared. */
    void kmapLocalSchedOut(Cpu cpu);

    /** Models {@code kmap_local_sched_in()}: the incoming task's mappings are restored. */
    void kmapLocalSchedIn(Cpu cpu);

    /** Models {@code kmap_local_fork()}: the child starts with an empty kmap_local stack. */
    void kmapLocalFork(Cpu cpu, Task child);
}
