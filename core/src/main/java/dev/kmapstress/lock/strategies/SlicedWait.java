package dev.kmapstress.lock.strategies;

import dev.kmapstress.lock.CpuContext;
import java.util.concurrent.TimeUnit;

/**
 * How a lock that blocks its thread (a JVM lock) waits as a CPU of the model: in bounded
 * slices. While blocked, a CPU with IRQs on counts as idle (IPIs sent to it are taken when it
 * resumes); between slices it runs {@link CpuContext#cpuRelax()}, so the lockup detector still
 * sees a CPU that waits too long, with IRQs on or off.
 */
final class SlicedWait {

    /** How long one blocking slice lasts before the CPU checks for lockups again. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** One bounded blocking attempt. */
    @FunctionalInterface
    interface Attempt {
        /** Tries to take the lock, blocking at most {@code nanos}; whether it was taken. */
        boolean tryAcquire(long nanos) throws InterruptedException;
    }

    private SlicedWait() {
    }

    /** Repeats {@code attempt} in slices until it takes the lock. */
    static void acquire(CpuContext cpu, Attempt attempt) {
        try {
            for (;;) {
                cpu.blockingWaitBegin();
                boolean got;
                try {
                    got = attempt.tryAcquire(SLICE_NANOS);
                } finally {
                    cpu.blockingWaitEnd();
                }
                if (got) {
                    return;
                }
                cpu.cpuRelax();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a lock", e);
        }
    }
}
