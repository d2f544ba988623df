package dev.kmapstress.machine;

import dev.kmapstress.log.Report;

/**
 * Thrown on a CPU's thread where that CPU meets the machine's {@code smpSendStop}: the kernel's
 * stopped CPU halts for good ({@code stop_this_cpu()}); a thread playing a CPU has to return, so
 * it unwinds from the wait it was in (a spin loop, a sleep in schedule()). Not an oops: nothing
 * is logged for it, the machine is over and is not made consistent again.
 */
public final class CpuStopped extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Report reason;

    CpuStopped(Cpu cpu, Report reason) {
        super(cpu + " stopped" + (reason == null ? "" : " after: " + reason.headline()), null, false, false);
        this.reason = reason;
    }

    /** The report the harness stopped the machine for, or null if it stopped it for no report. */
    public Report reason() {
        return reason;
    }
}
