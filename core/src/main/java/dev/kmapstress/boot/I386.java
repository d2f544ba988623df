package dev.kmapstress.boot;

import dev.kmapstress.machine.Profile;

/**
 * The i386 kernel's C integer widths: {@code unsigned long} and {@code unsigned int} are 32
 * bits, so the boot code's arithmetic on them wraps at 2^32 (a huge {@code vmalloc=} wraps
 * MAXMEM, a huge {@code highmem=} wraps the page count). The model applies the wrap exactly
 * where the kernel's variable is that narrow.
 */
final class I386 {

    private I386() {
    }

    /** The value an i386 {@code unsigned long} (or {@code unsigned int}) holds. */
    static long ul(long value) {
        return value & 0xffff_ffffL;
    }

    /** Models {@code pages_to_mb()}. */
    static long pagesToMb(long pages) {
        return pages >>> (20 - Profile.PAGE_SHIFT);
    }
}
