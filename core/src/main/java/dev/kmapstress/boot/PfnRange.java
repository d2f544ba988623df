package dev.kmapstress.boot;

import static dev.kmapstress.machine.Profile.PAGE_SHIFT;

/**
 * A range of page frames {@code [start, end)}.
 *
 * @param start first pfn
 * @param end pfn after the last
 */
public record PfnRange(long start, long end) {

    public long pages() {
        return end - start;
    }

    /** The range clamped into {@code [low, high]}, possibly empty (kernel {@code clamp()} on both ends). */
    PfnRange clamp(long low, long high) {
        return new PfnRange(Math.min(Math.max(start, low), high), Math.min(Math.max(end, low), high));
    }

    /** The range as the kernel prints a pfn range: {@code [mem %#018Lx-%#018Lx]}. */
    String mem18() {
        return Dmesg.mem18(start << PAGE_SHIFT, (end << PAGE_SHIFT) - 1);
    }
}
