package dev.kmapstress.lincheck;

import java.util.Arrays;

/**
 * The sequential specification of {@link PageAddressTableTest}: a map from page to the PKMAP
 * slot it is mapped at, in which a slot holds at most one page. Hash buckets, chains and locks
 * do not appear: colliding pages must behave exactly like any others.
 */
public final class PageAddressMapSpec {

    private final int[] slotOf = new int[PageAddressTableTest.PAGES];

    public PageAddressMapSpec() {
        Arrays.fill(slotOf, -1);
    }

    public String set(int tid, int page, int slot) {
        if (slotOf[page] >= 0) {
            return PageAddressTableTest.HAS_ADDRESS + PageAddressTableTest.slotName(slotOf[page]);
        }
        for (int q = 0; q < slotOf.length; q++) {
            if (slotOf[q] == slot) {
                return PageAddressTableTest.SLOT_IN_USE + q;
            }
        }
        slotOf[page] = slot;
        return PageAddressTableTest.slotName(slot);
    }

    public String remove(int tid, int page) {
        if (slotOf[page] < 0) {
            return PageAddressTableTest.NO_ADDRESS;
        }
        String before = PageAddressTableTest.slotName(slotOf[page]);
        slotOf[page] = -1;
        return before + PageAddressTableTest.REMOVED;
    }

    public String lookup(int tid, int page) {
        return PageAddressTableTest.slotName(slotOf[page]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PageAddressMapSpec s && Arrays.equals(slotOf, s.slotOf);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(slotOf);
    }
}
