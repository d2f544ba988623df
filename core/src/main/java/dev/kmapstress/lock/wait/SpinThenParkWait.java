package dev.kmapstress.lock.wait;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Task;

/**
 * The {@code spin-then-park} wait strategy (LiTL's): the waiter first spins on its task's state
 * for {@link #SPINS} spins, about the cost of parking and unparking a thread, and only then
 * sleeps in {@code schedule()}; wake-ups are the kernel's. While it spins the CPU is running
 * with IRQs on and takes IPIs in {@link Cpu#cpuRelax()}; once parked it counts as idle.
 */
final class SpinThenParkWait implements WaitStrategy {

    static final int SPINS = 1 << 10;

    private final KernelWait kernel;

    SpinThenParkWait(KernelWait kernel) {
        this.kernel = kernel;
    }

    @Override
    public void sleep(Cpu cpu) {
        Task task = cpu.current();
        cpu.spinBegin("pkmap_map_wait");
        for (int i = 0; i < SPINS && task.state() != Task.TASK_RUNNING; i++) {
            cpu.cpuRelax();
        }
        cpu.spinEnd();
        // Returns at once if the wake-up came while we spun.
        kernel.sleep(cpu);
    }

    @Override
    public void wakeUp(Cpu cpu) {
        kernel.wakeUp(cpu);
    }
}
