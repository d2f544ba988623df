package dev.kmapstress.lock.wait;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.sched.Scheduler;
import dev.kmapstress.sched.WaitQueueHead;

/** The {@code kernel} wait strategy: the scheduler's {@code schedule()} and the queue's {@code wake_up()}. */
final class KernelWait implements WaitStrategy {

    private final Scheduler scheduler;
    private final WaitQueueHead queue;

    KernelWait(Scheduler scheduler, WaitQueueHead queue) {
        this.scheduler = scheduler;
        this.queue = queue;
    }

    @Override
    public void sleep(Cpu cpu) {
        scheduler.schedule(cpu);
    }

    @Override
    public void wakeUp(Cpu cpu) {
        queue.wakeUp(cpu);
    }
}
