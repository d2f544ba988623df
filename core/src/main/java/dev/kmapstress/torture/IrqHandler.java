package dev.kmapstress.torture;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Machine;
import dev.kmapstress.machine.Profile;
import java.util.SplittableRandom;

/**
 * The interrupt a worker injects between two steps with {@code --irq}: in hard-IRQ context it
 * pins the mapping of a random highmem page with kmap_high_get() (where the architecture has
 * it), checks the page's content through it and releases it with kunmap_high(), as a driver's
 * interrupt handler on ARM may. A page some task is writing is left alone, as a driver would
 * own its buffer.
 */
final class IrqHandler implements Runnable {

    private final Machine machine;
    private final Cpu cpu;
    private final PageLedger ledger;
    private final Verifier verifier;
    private final WorkerStats stats;
    private final int op;
    private final SplittableRandom random;
    private final Mapping scratch = new Mapping();

    IrqHandler(Machine machine, Cpu cpu, PageLedger ledger, Verifier verifier, WorkerStats stats,
            int op, SplittableRandom random) {
        this.machine = machine;
        this.cpu = cpu;
        this.ledger = ledger;
        this.verifier = verifier;
        this.stats = stats;
        this.op = op;
        this.random = random;
        scratch.reset(MapKinds.PERSISTENT, op, op);
    }

    /** Whether a profile lets an interrupt handler map pages. */
    static boolean available(Profile p) {
        return p.kmapHighGet();
    }

    /** Why {@link #available} is false for {@code p}. */
    static String unavailableReason(Profile p) {
        return "interrupts map pages with kmap_high_get(), which profile " + p.id()
                + " does not have; use --profile arm-like";
    }

    @Override
    public void run() {
        int idx = random.nextInt(ledger.lowBase());
        if (!ledger.tryClaim(idx, false)) {
            return;
        }
        try {
            Mapping mp = scratch;
            mp.ledgerIndex = idx;
            mp.page = ledger.page(idx);
            mp.stamp = ledger.stamp(idx);
            long t0 = System.nanoTime();
            mp.vaddr = machine.pkmap().kmapHighGet(cpu, mp.page);
            stats.done(op, System.nanoTime() - t0);
            if (mp.vaddr != 0) {
                try {
                    verifier.read(cpu, mp, "in an interrupt");
                } finally {
                    machine.pkmap().kunmapHigh(cpu, mp.page);
                }
            }
        } finally {
            ledger.release(idx, false, 0);
        }
    }
}
