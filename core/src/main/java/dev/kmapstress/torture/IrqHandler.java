package dev.kmapstress.torture;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.KernelOp;
import java.util.SplittableRandom;

/**
 * The interrupt a worker injects between two steps with {@code --irq}, as a driver's handler
 * would touch a buffer: in hard-IRQ context it maps a random page with kmap_local_page() (the
 * next free entry of the interrupted task's stack), checks the page's content through the
 * mapping and unmaps it, leaving the stack as it found it. Where the architecture has
 * kmap_high_get() (arm-like), every other interrupt pins the page's existing PKMAP mapping with
 * it instead and releases the pin with kunmap_high(). A page some task is writing is left
 * alone, as a driver owns its buffer.
 */
final class IrqHandler implements Runnable {

    /** The kmap_local_page() it makes (its kunmap_local is not counted). */
    static final CountedOp LOCAL = CountedOp.irq(KernelOp.KMAP_LOCAL_PAGE);
    /** The kmap_high_get() it makes where the architecture has it. */
    static final CountedOp HIGH_GET = CountedOp.irq(KernelOp.KMAP_HIGH_GET);

    private final Machine machine;
    private final Cpu cpu;
    private final PageLedger ledger;
    private final Verifier verifier;
    private final WorkerStats stats;
    private final int localOp;
    private final int highGetOp;
    private final SplittableRandom random;
    private final Steps steps;
    private final Mapping scratch = new Mapping();

    IrqHandler(Machine machine, Cpu cpu, PageLedger ledger, Verifier verifier, WorkerStats stats,
            OpSet ops, SplittableRandom random, Steps steps) {
        this.steps = steps;
        this.machine = machine;
        this.cpu = cpu;
        this.ledger = ledger;
        this.verifier = verifier;
        this.stats = stats;
        this.localOp = ops.index(LOCAL);
        this.highGetOp = machine.config().profile().kmapHighGet() ? ops.index(HIGH_GET) : -1;
        this.random = random;
    }

    @Override
    public void run() {
        int[] pool = ledger.pool();
        int lowmem = ledger.size() - ledger.lowBase();
        int r = random.nextInt(pool.length + lowmem);
        int idx = r < pool.length ? pool[r] : ledger.lowBase() + r - pool.length;
        if (!ledger.tryClaim(idx, false)) {
            return;
        }
        try {
            boolean pin = highGetOp >= 0 && ledger.page(idx).isHighMem() && random.nextBoolean();
            Mapping mp = scratch;
            mp.reset(Activities.LOCAL, pin ? highGetOp : localOp, -1);
            mp.ledgerIndex = idx;
            mp.page = ledger.page(idx);
            mp.stamp = ledger.stamp(idx);
            map(mp, pin);
        } finally {
            ledger.release(idx, false, 0);
        }
    }

    /**
     * Maps the page with kmap_local_page(), or pins its PKMAP mapping with kmap_high_get()
     * ({@code pin}; nothing to check if it has none), checks it and releases it.
     */
    private void map(Mapping mp, boolean pin) {
        steps.page(cpu, pin ? KernelOp.KMAP_HIGH_GET : KernelOp.KMAP_LOCAL_PAGE, mp.page);
        long t0 = System.nanoTime();
        mp.vaddr = pin ? machine.pkmap().kmapHighGet(cpu, mp.page) : machine.kmapLocal().kmapLocalPage(cpu, mp.page);
        stats.done(mp.mapOp, System.nanoTime() - t0);
        if (mp.vaddr == 0) {
            return;
        }
        try {
            steps.read(cpu, mp.vaddr);
            verifier.read(cpu, mp, "in an interrupt");
        } finally {
            steps.unmap(cpu, pin ? KernelOp.KUNMAP : KernelOp.KUNMAP_LOCAL, mp.page, mp.vaddr);
            if (pin) {
                machine.pkmap().kunmapHigh(cpu, mp.page);
            } else {
                machine.kmapLocal().kunmapLocal(cpu, mp.vaddr);
            }
        }
    }
}
