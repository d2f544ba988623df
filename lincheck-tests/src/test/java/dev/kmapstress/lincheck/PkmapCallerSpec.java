package dev.kmapstress.lincheck;

import java.util.Arrays;

/**
 * The sequential specification of {@link PkmapApiTest}: what a caller of the persistent-kmap
 * API can observe, as a table saying which page each caller holds and how many times. Nothing
 * in it knows about slots, counts, flushes or TLBs:
 * <ul>
 * <li>{@code kmap(p)} succeeds at once (the window has room for every caller's page) and the
 *     address it returns reads page p;</li>
 * <li>while a caller holds p, reading through its address reads p, {@code kmap_to_page} of the
 *     address is p and {@code page_address(p)} is that address;</li>
 * <li>{@code kunmap} gives back one holding; {@code kmap_flush_unused} changes nothing a holder
 *     can see.</li>
 * </ul>
 */
public final class PkmapCallerSpec {

    /** Lincheck thread ids of the test: init, the parallel threads, post. */
    private static final int CALLERS = PkmapApiTest.THREADS + 2;

    private final int[] page = new int[CALLERS];
    private final int[] holds = new int[CALLERS];

    public PkmapCallerSpec() {
        Arrays.fill(page, -1);
    }

    public String kmap(int tid, int p) {
        if (holds[tid] > 0 && page[tid] != p) {
            return PkmapApiTest.holdsOther(page[tid]);
        }
        page[tid] = p;
        holds[tid]++;
        return PkmapApiTest.name(p);
    }

    public String kunmap(int tid) {
        if (holds[tid] == 0) {
            return PkmapApiTest.HOLDS_NOTHING;
        }
        int p = page[tid];
        if (--holds[tid] == 0) {
            page[tid] = -1;
        }
        return PkmapApiTest.unmapped(p);
    }

    public String read(int tid) {
        return holds[tid] == 0 ? PkmapApiTest.HOLDS_NOTHING : PkmapApiTest.name(page[tid]);
    }

    public String kmapToPage(int tid) {
        return read(tid);
    }

    public String pageAddress(int tid, int p) {
        return holds[tid] > 0 && page[tid] == p ? PkmapApiTest.OWN_ADDRESS : PkmapApiTest.NOT_HELD;
    }

    public String kmapFlushUnused(int tid) {
        return PkmapApiTest.FLUSHED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PkmapCallerSpec s && Arrays.equals(page, s.page) && Arrays.equals(holds, s.holds);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(page) + Arrays.hashCode(holds);
    }
}
