package dev.kmapstress.machine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One CPU's event counters. Only the thread running the CPU writes them, with plain loads and
 * stores: one writer loses no update, and no other state is published through a counter, so
 * nothing needs ordering (opaque accesses cost no instruction on x86 but are compiler
 * barriers: the JIT reloaded the hot paths' fields around every counter). Readers are exact
 * once the CPUs' threads are joined (a happens-before edge: {@code Thread.join}, the end of a
 * JMH iteration, a JCStress arbiter); a reading while a CPU still runs is a racy estimate. The array is padded on both sides so
 * two CPUs' counters never share a cache line.
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
            counters[PAD + s.ordinal()]++;
        }
    }

    /** Raises {@code s} to {@code value} if that is larger (a high-water mark); free when off. */
    public void recordMax(Stat s, long value) {
        int i = PAD + s.ordinal();
        if (enabled && value > counters[i]) {
            counters[i] = value;
        }
    }

    /** The value of one counter, read from any thread (exact once the CPU's thread is joined). */
    public long get(Stat s) {
        return (long) SLOT.getOpaque(counters, PAD + s.ordinal());
    }
}
