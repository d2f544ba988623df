package dev.kmapstress.bench;

import dev.kmapstress.kernel.Machine;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A {@link TrialCpu} that keeps its page mapped (pinned with kmap) for the whole trial, so that
 * every kmap_high of that page is a hit.
 */
public abstract class PinnedCpu extends TrialCpu {

    /** Enters the CPU and pins its page. */
    protected final void pin(Machine m, ThreadParams threads) {
        enter(m, threads);
        m.highmem().kmap(cpu, page);
    }

    @Override
    protected void beforeLeaving() {
        machine.highmem().kunmap(cpu, page);
    }
}
