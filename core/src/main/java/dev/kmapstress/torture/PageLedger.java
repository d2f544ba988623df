package dev.kmapstress.torture;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The torture workers' own bookkeeping, kept outside the model: which pages each worker may
 * write or read (claims), what each page must contain (its stamp), and the PKMAP slot budget
 * that keeps workers from deadlocking one another.
 *
 * <p><b>Claims.</b> A page is free, claimed by one writer, or shared by readers. Only the
 * writer changes the page's payload and stamp; readers compare every word they read with the
 * stamp. Claims are atomics of the harness, so they order the payload accesses of two
 * workers (happens-before through the claim word) without touching the model's locks: any
 * difference a reader sees comes from the model's mappings, never from the harness.
 *
 * <p><b>Stamps.</b> A stamp names a page and a version ({@code (page + 1) << 32 | version});
 * word {@code i} of a stamped page is a hash of seed, stamp and {@code i}, so data of another
 * page, of an older version or of another word never matches. Stamp 0 is the zeroed page a
 * machine boots with.
 *
 * <p><b>Pools.</b> The workers of a colour use a pool of {@value #POOL_PER_SLOT} pages per slot
 * of that colour, picked from as few page_address hash buckets as the machine's pages allow:
 * when the window is full each bucket then holds about {@value #ENTRIES_PER_BUCKET} entries,
 * as a real kernel's 512 slots do over its 128 buckets. A small torture window would otherwise
 * leave buckets nearly empty, and page_address() would never walk past another page's entry
 * while kmap_lock's holder edits the list.
 *
 * <p><b>Slot budget.</b> Taking several persistent mappings at once can deadlock: tasks
 * asleep in map_new_virtual holding every slot that could wake them. The kernel avoids it by
 * discipline; the workers by two limits per cache colour {@code c} (each worker maps pages of
 * one colour only), with {@code S} the colour's slots and {@code W} its workers:
 * <ul>
 * <li>a budget of {@code S + W - 1} units: a unit is taken before each kmap call and kept
 *     while the page stays mapped by some worker, so the units in use are the distinct pages
 *     held plus the calls in progress. All {@code W} asleep at once would hold at most
 *     {@code S - 1} pages: not all of them can sleep;</li>
 * <li>a cap per worker: a worker starts a kmap call only while it holds at most
 *     {@code (S - 1) / (W - 1)} mappings, so any {@code W - 1} sleepers hold fewer than
 *     {@code S} slots between them. A free or flushable slot remains, so no group of
 *     sleepers can wait only for one another, even while the others are parked.</li>
 * </ul>
 * Between them, some worker is always able to go on and release, yet up to {@code W - 1}
 * workers can sleep at a time, so the wait and wake-up paths stay busy. Neither limit is ever
 * waited for: a mapping that would exceed one is skipped.
 */
final class PageLedger {

    private static final int FREE = 0;
    private static final int WRITER = -1;
    /** Pool pages per PKMAP slot: misses and wrap-around flushes outnumber hits. */
    static final int POOL_PER_SLOT = 4;
    /** page_address entries per hash bucket at a full window (512 slots over 128 buckets). */
    static final int ENTRIES_PER_BUCKET = 4;
    /** Most pages of a colour a run keeps mapped for the hit workload. */
    static final int MAX_PINNED = 4;

    private final Page[] pages;
    private final int highPages;
    private final AtomicIntegerArray claims;
    /** The stamp each page must hold; written by its writer, read by claim holders. */
    private final long[] stamps;
    private final long seed;
    private final int[][] byColour;
    private final int[][] pinned;
    private final int[] pool;
    private final AtomicIntegerArray budget;
    /** Per colour: most mappings a worker may hold when it starts a kmap call. */
    private final int[] cap;
    /** How many worker mappings each page has (it holds a budget unit while above zero). */
    private final AtomicIntegerArray holders;

    /**
     * @param workersPerColour how many worker threads map pages of each colour
     * @param pin              whether the run keeps some pages of each colour mapped ({@link #pinned})
     */
    PageLedger(Machine m, long seed, int[] workersPerColour, boolean pin) {
        this.highPages = m.highPageCount();
        this.pages = new Page[highPages + m.lowPageCount()];
        for (int i = 0; i < highPages; i++) {
            pages[i] = m.highPage(i);
        }
        for (int i = 0; i < m.lowPageCount(); i++) {
            pages[highPages + i] = m.lowPage(i);
        }
        this.claims = new AtomicIntegerArray(pages.length);
        this.holders = new AtomicIntegerArray(pages.length);
        this.stamps = new long[pages.length];
        this.seed = seed;
        int colours = workersPerColour.length;
        this.byColour = new int[colours][];
        this.pinned = new int[colours][];
        this.budget = new AtomicIntegerArray(colours);
        this.cap = new int[colours];
        int window = m.layout().lastPkmap() / colours;
        // Pinned pages hold their slots all run long: the budget shares out the others.
        int pins = pin ? Math.max(1, Math.min(MAX_PINNED, window / 4)) : 0;
        int slots = window - pins;
        List<Integer> all = new ArrayList<>();
        for (int c = 0; c < colours; c++) {
            byColour[c] = pool(m, c, POOL_PER_SLOT * window, Math.max(1, window / ENTRIES_PER_BUCKET));
            pinned[c] = java.util.Arrays.copyOf(byColour[c], Math.min(pins, byColour[c].length));
            java.util.Arrays.stream(byColour[c]).forEach(all::add);
            int w = Math.max(1, workersPerColour[c]);
            budget.set(c, slots + w - 1);
            cap[c] = w == 1 ? slots - 1 : (slots - 1) / (w - 1);
        }
        this.pool = all.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Up to {@code size} highmem pages of colour {@code c}, as ledger indices, taken from the
     * buckets with the most such pages, at most {@code size / buckets} (rounded up) from each.
     */
    private int[] pool(Machine m, int c, int size, int buckets) {
        java.util.Map<Integer, List<Integer>> byBucket = new java.util.TreeMap<>();
        for (int i = 0; i < highPages; i++) {
            if (m.pkmap().getPkmapColor(pages[i]) == c) {
                byBucket.computeIfAbsent(m.pageAddressTable().bucketOf(pages[i]), b -> new ArrayList<>()).add(i);
            }
        }
        int perBucket = (size + buckets - 1) / buckets;
        List<Integer> chosen = new ArrayList<>();
        byBucket.values().stream().sorted(java.util.Comparator.comparingInt(l -> -l.size()))
                .forEach(l -> l.stream().limit(Math.min(perBucket, size - chosen.size())).forEach(chosen::add));
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    int size() { return pages.length; }

    Page page(int idx) { return pages[idx]; }

    /** The pool of colour {@code c}, as ledger indices. */
    int[] colour(int c) { return byColour[c]; }

    /**
     * The pages of colour {@code c} the run keeps mapped from before the workers start until
     * they have ended (the first of its pool, from the fullest hash buckets), as ledger
     * indices; empty unless asked for.
     */
    int[] pinned(int c) { return pinned[c]; }

    /** Every colour's pool together. */
    int[] pool() { return pool; }

    /** Ledger indices of lowmem pages are {@code lowBase() .. size() - 1}. */
    int lowBase() { return highPages; }

    /** Claims a page to write (exclusively) or read (shared); never waits. */
    boolean tryClaim(int idx, boolean write) {
        if (write) {
            return claims.compareAndSet(idx, FREE, WRITER);
        }
        for (int c = claims.get(idx); c != WRITER; c = claims.get(idx)) {
            if (claims.compareAndSet(idx, c, c + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the page is claimed by a writer (the caller's own claim, when it holds one). */
    boolean claimedForWrite(int idx) {
        return claims.get(idx) == WRITER;
    }

    /** Releases a claim; a writer publishes the page's new stamp first. */
    void release(int idx, boolean write, long newStamp) {
        if (write) {
            stamps[idx] = newStamp;
            claims.set(idx, FREE);
        } else {
            claims.decrementAndGet(idx);
        }
    }

    /** The stamp the page holds; call with a claim on it. */
    long stamp(int idx) {
        return stamps[idx];
    }

    /** The next stamp of a page after {@code stamp}. */
    static long nextStamp(int idx, long stamp) {
        return ((long) (idx + 1) << 32) | ((stamp + 1) & 0xffff_ffffL);
    }

    /** Word {@code i} of a page holding {@code stamp}. */
    int word(long stamp, int i) {
        if (stamp == 0) {
            return 0;
        }
        long z = seed ^ (stamp * 0x9E37_79B9_7F4A_7C15L) ^ ((i + 1) * 0xD1B5_4A32_D192_ED03L);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return (int) (z ^ (z >>> 31));
    }

    /** {@code pK vN} for a stamp, as mismatch reports name it. */
    String describe(long stamp) {
        return stamp == 0 ? "zeroed page"
                : pages[(int) (stamp >>> 32) - 1].name() + " v" + (stamp & 0xffff_ffffL);
    }

    /**
     * Takes a unit of colour {@code c}'s budget for a kmap call by a worker that holds
     * {@code held} mappings of it, if the worker is under its cap and a unit is left.
     */
    boolean trySlot(int c, int held) {
        if (held > cap[c]) {
            return false;
        }
        for (int left = budget.get(c); left > 0; left = budget.get(c)) {
            if (budget.compareAndSet(c, left, left - 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * After a kmap call of page {@code idx} returned: the call's unit becomes the page's if no
     * other worker maps the page, and is given back otherwise.
     */
    void mapped(int idx, int c) {
        if (holders.getAndIncrement(idx) > 0) {
            budget.incrementAndGet(c);
        }
    }

    /** After kunmap of page {@code idx}: the last worker mapping gives the page's unit back. */
    void unmapped(int idx, int c) {
        if (holders.decrementAndGet(idx) == 0) {
            budget.incrementAndGet(c);
        }
    }

    /** What is left of each colour's budget (for state dumps). */
    int slotsLeft(int c) {
        return budget.get(c);
    }
}
