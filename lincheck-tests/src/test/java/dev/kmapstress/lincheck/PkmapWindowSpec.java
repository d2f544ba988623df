package dev.kmapstress.lincheck;

import java.util.Arrays;

/**
 * The sequential specification of {@link BlockingKmapTest}: the PKMAP window as a multiset of
 * held pages with room for {@link BlockingKmapTest#LAST_PKMAP} distinct pages.
 *
 * <p>A kmap of a page somebody holds shares its mapping. A kmap of a new page while the window
 * is full of held pages would sleep; a sequential object cannot sleep, so here it returns
 * {@link BlockingKmapTest#SLEEPS}, a result the real kmap never returns (it returns the page
 * once it is woken and mapped). A completed kmap therefore linearizes only at a moment when a
 * slot was free, the block is modelled without blocking, and a kmap that never wakes up is a
 * hang Lincheck reports (model checking) or a hung-task oops (stress).
 */
public final class PkmapWindowSpec {

    private final int[] held = new int[BlockingKmapTest.PAGES];

    public String kmap(int tid, int page) {
        if (held[page] == 0 && distinctHeld() == BlockingKmapTest.LAST_PKMAP) {
            return BlockingKmapTest.SLEEPS;
        }
        held[page]++;
        return PkmapApiTest.name(page);
    }

    public String kunmap(int tid, int page) {
        if (held[page] == 0) {
            return PkmapApiTest.NOT_HELD;
        }
        held[page]--;
        return PkmapApiTest.unmapped(page);
    }

    private int distinctHeld() {
        int n = 0;
        for (int h : held) {
            n += h > 0 ? 1 : 0;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PkmapWindowSpec s && Arrays.equals(held, s.held);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(held);
    }
}
