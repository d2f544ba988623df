package dev.kmapstress.machine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One CPU's event counters. Only the thread running the CPU writes them (opaque stores: no
 * fence, no lost update since there is one writer); any thread may read them with opaque loads
 * for a snapshot that is consistent enough for statistics. The array is padded on both sides
 * so two CPUs' counters never share a cache line.
 */
public final class CpuStats {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    /** 128 bytes of padding on each side: two cache lines, against adjacent-line prefetch. */
    private static final int PAD = 16;

    private final long[] counters = new long[PAD + Stat.values().length + PAD];
    private final boolean enabled;

    CpuStats(boolean enabled) {
        this.enabled = enabled;
    }

    /** Counts one event; free when statistics are off. */
    public void inc(Stat s) {
        if (enabled) {
            int i = PAD + s.ordinal();
            SLOT.setOpaque(counters, i, (long) SLOT.getOpaque(counters, i) + 1);
        }
    }

    /** Raises {@code s} to {@code value} if that is larger (a high-water mark); free when off. */
    public void recordMax(Stat s, long value) {
        int i = PAD + s.ordinal();
        if (enabled && value > (long) SLOT.getOpaque(counters, i)) {
            SLOT.setOpaque(counters, i, value);
        }
    }

    /** The current value of one counter, read from any thread. */
    public long get(Stat s) {
        return (long) SLOT.getOpaque(counters, PAD + s.ordinal());
    }
}
