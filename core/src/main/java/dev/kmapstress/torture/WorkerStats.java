package dev.kmapstress.torture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One worker's counters and latency recorders, per operation of the run's {@link OpSet}.
 * Only the worker writes them (opaque stores, no fence: one writer loses no update); the
 * statistics thread reads them at any time, and takes latency histograms interval by interval
 * from HdrHistogram's single-writer recorders without stopping the worker.
 */
final class WorkerStats {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    /** Two cache lines of padding on each side, so two workers' counters never share one. */
    private static final int PAD = 16;
    /** Latency histograms keep two significant digits and grow as needed. */
    private static final int DIGITS = 2;

    /** Extra counters after the operations. */
    static final int WORDS_VERIFIED = 0;
    static final int ROUNDS = 1;
    static final int CONTEXT_SWITCHES = 2;
    static final int INTERRUPTS = 3;
    static final int LONG_HOLDS = 4;
    private static final int EXTRAS = 5;

    private final int ops;
    private final long[] slots;
    private final SingleWriterRecorder[] latency;

    WorkerStats(int ops) {
        this.ops = ops;
        this.slots = new long[PAD + 2 * ops + EXTRAS + PAD];
        this.latency = new SingleWriterRecorder[ops];
        for (int i = 0; i < ops; i++) {
            latency[i] = new SingleWriterRecorder(DIGITS);
        }
    }

    /** Counts one completed operation and records its latency. */
    void done(int op, long nanos) {
        add(PAD + op, 1);
        latency[op].recordValue(Math.max(0, nanos));
    }

    /** Counts a failure of an operation. */
    void failed(int op) {
        add(PAD + ops + op, 1);
    }

    /** Adds to one of the extra counters ({@link #WORDS_VERIFIED} ...). */
    void extra(int which, long n) {
        add(PAD + 2 * ops + which, n);
    }

    long count(int op) {
        return get(PAD + op);
    }

    long fails(int op) {
        return get(PAD + ops + op);
    }

    long extra(int which) {
        return get(PAD + 2 * ops + which);
    }

    /** The latencies recorded since the last call (the statistics thread only). */
    Histogram intervalLatency(int op) {
        return latency[op].getIntervalHistogram();
    }

    private void add(int i, long n) {
        SLOT.setOpaque(slots, i, (long) SLOT.getOpaque(slots, i) + n);
    }

    private long get(int i) {
        return (long) SLOT.getOpaque(slots, i);
    }
}
