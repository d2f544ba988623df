package dev.kmapstress.torture;

import dev.kmapstress.machine.KernelOp;

/**
 * An operation a torture run counts and times: a kernel function called by a worker's task or,
 * for the interrupts a run injects, in hard-IRQ context, which the statistics keep apart
 * ({@code irq:kmap_local_page}) since an interrupt's mapping nests on the task's.
 *
 * @param inIrq whether it is the injected interrupt's call
 */
record CountedOp(KernelOp op, boolean inIrq) {

    /** A worker task's call of {@code op}. */
    static CountedOp task(KernelOp op) {
        return new CountedOp(op, false);
    }

    /** The injected interrupt's call of {@code op}. */
    static CountedOp irq(KernelOp op) {
        return new CountedOp(op, true);
    }

    /** The name statistics and results files give it: {@code kmap}, {@code irq:kmap_high_get}. */
    String name() {
        return (inIrq ? "irq:" : "") + op.word();
    }
}
