package dev.kmapstress.machine;

import dev.kmapstress.log.Oops;
import dev.kmapstress.log.Site;

/**
 * The kernel's failure reports as the model raises them: BUG oopses, WARN_ON_ONCE, the
 * soft/hard lockup detectors and the hung-task detector. The machine's watchdog
 * ({@code dev.kmapstress.kernel.Watchdog}) writes them, in the kernel's words, into the kernel
 * log.
 */
public interface Reports {

    /** The kernel's {@code CPU: n PID: p Comm: name} line. */
    String cpuLine(Cpu cpu);

    /** Models {@code BUG()} at {@code site}: logs the oops and returns the exception to throw. */
    Oops bug(Cpu cpu, Site site);

    /** Models {@code WARN_ON_ONCE(1)} at {@code site}: reports the first time only. */
    void warnOnce(Cpu cpu, Site site);

    /** Models a once-only {@code WARN(1, message)} at {@code site} (message null: none). */
    void warnOnce(Cpu cpu, Site site, String message);

    /** Models the soft-lockup report of {@code watchdog_timer_fn()}: {@code cpu} spun with IRQs on. */
    void softLockup(Cpu cpu, long stuckNanos);

    /** Models the hard-lockup report of {@code watchdog_overflow_callback()}: spun with IRQs off. */
    void hardLockup(Cpu cpu, long stuckNanos);

    /** Models {@code check_hung_task()} for {@code task}, asleep for {@code blockedNanos}. */
    void hungTask(Cpu cpu, Task task, long blockedNanos);
}
