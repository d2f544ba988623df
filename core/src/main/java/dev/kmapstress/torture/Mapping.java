package dev.kmapstress.torture;

import dev.kmapstress.machine.Page;

/**
 * One item of a round: which page, through which activity, whether the task writes it, the
 * stamp the page must hold, and for a copy the page it was copied from. Reused round after
 * round, so a round allocates nothing.
 */
final class Mapping {

    Activity activity;
    /** Whether the map step found a page to claim; a skipped mapping is neither mapped nor released. */
    boolean taken;
    int ledgerIndex;
    Page page;
    boolean write;
    /** Whether it is counted in the ledger's PKMAP slot budget (a persistent highmem mapping). */
    boolean slot;
    long vaddr;
    /** The stamp the page holds now (the new one once the task has written it). */
    long stamp;
    int mapOp;
    int unmapOp;

    /** A copy's source page (ledger index, read-claimed), -1 for mappings. */
    int source = -1;

    void reset(Activity activity, int mapOp, int unmapOp) {
        this.activity = activity;
        this.source = -1;
        this.mapOp = mapOp;
        this.unmapOp = unmapOp;
        this.taken = false;
        this.slot = false;
        this.page = null;
        this.vaddr = 0;
    }

    /** {@code p5 at 0xff003000 (kmap, read)}, as reports name a mapping. */
    String describe(OpSet ops) {
        return String.format("%s at 0x%08x (%s, %s)", page.name(), vaddr, ops.name(mapOp),
                write ? "written" : "read");
    }
}
