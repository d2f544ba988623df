package dev.kmapstress.machine;

/**
 * A physical page ({@code struct page}) with a few words of payload, so every access through a
 * mapping can be verified: a wrong translation shows up as wrong data. Lowmem pages are always
 * mapped at PAGE_OFFSET + pfn·PAGE_SIZE; highmem pages have an address only while mapped.
 *
 * <p>The payload is plain memory, as RAM is: the ordering of accesses to it comes from the
 * locks and mappings of the model, never from the page itself.
 */
public final class Page {

    private final long pfn;
    private final boolean highmem;
    private final int index;
    private final int[] payload;

    /** Page {@code pfn}, the {@code index}-th of its kind; the machine builds its pages. */
    public Page(long pfn, boolean highmem, int index, int payloadWords) {
        this.pfn = pfn;
        this.highmem = highmem;
        this.index = index;
        this.payload = new int[payloadWords];
    }

    /** The page frame number. */
    public long pfn() { return pfn; }

    /** Models {@code PageHighMem(page)}. */
    public boolean isHighMem() { return highmem; }

    /** Its index among the machine's highmem (or lowmem) pages, the K of {@code pK}/{@code lK}. */
    public int index() { return index; }

    /** {@code pK} for highmem pages, {@code lK} for lowmem ones, as scenarios name them. */
    public String name() {
        return (highmem ? "p" : "l") + index;
    }

    /** The number of payload words modelled. */
    public int words() {
        return payload.length;
    }

    /**
     * The page's memory itself. Accessing it bypasses every mapping: the MMU uses it after
     * translating, and checks use it as the physical truth.
     */
    public int[] payload() {
        return payload;
    }

    /**
     * Reads a payload word directly, bypassing any mapping (the physical truth, for checks).
     */
    public int peek(int word) {
        return payload[word];
    }

    @Override
    public String toString() {
        return name() + "(pfn 0x" + Long.toHexString(pfn) + ")";
    }
}
