package dev.kmapstress.jcstress.pkmap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.Controls;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.jcstress.support.Smoke;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.mm.PageAddressTable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * page_address bucket insert/remove vs lookup on one hash bucket. Pages B and A1-A4 hash to
 * the same page_address bucket (found with {@link PageAddressTable#bucketOf}). B stays mapped;
 * CPU 0, round after round, maps and drops A1-A4 (four insertions behind B in the bucket's
 * list) and flushes them (four removals), editing the list under kmap_lock and the bucket's own
 * lock. CPU 1 meanwhile keeps looking A4 up, walking past B and A1-A3 without kmap_lock, with a
 * few cpu_relax() before each lookup: back-to-back lookups left the bucket lock free only
 * between one lookup's unlock and the next one's lock, and CPU 0 spent most of each round
 * queued behind them, so a run held few samples. The bucket lock keeps every walk on an intact
 * list that ends at its head; afterwards the bucket holds B alone. The machine is arm-like
 * (hardware TLB broadcast), so that CPU 0's flushes do not wait for CPU 1 to take an IPI, which
 * it cannot while it walks with IRQs off.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t PageAddressLookupSurvivesRemovalsInItsBucket}
 */
@JCStressTest
@Smoke
@Controls({Fault.BUCKET_UNLOCKED})
@Outcome(id = "64 rounds of 4 inserts and 4 removals, A4 looked up until CPU 0 finished, bucket B", expect = ACCEPTABLE,
        desc = "Every walk of the bucket ended at its head; afterwards the list holds B alone.")
@Outcome(id = ".*, PAGE_FAULT, .*", expect = FORBIDDEN,
        desc = "A lookup followed a removed entry's poisoned link (LIST_POISON1).")
@Outcome(expect = FORBIDDEN,
        desc = "Anything else: a lookup that never returned to its head (lockup), another oops, a corrupt bucket.")
@State
public class PageAddressLookupSurvivesRemovalsInItsBucket extends SmallMachine {

    private static final int ROUNDS = 64;
    /** The pages CPU 0 inserts and removes each round. */
    private static final int CYCLED = 4;
    /** CPU 1's cpu_relax() calls before each lookup. */
    private static final int RELAX_BEFORE_LOOKUP = 32;

    private static final int LAST_PKMAP = 8;
    /** Enough highmem pages for five to share a bucket (the hash spreads pfns well). */
    private static final int HIGHMEM_PAGES = 512;
    /** Indices of five highmem pages with one bucket: B, then A1-A4. */
    private static final int[] SAME_BUCKET = sameBucket(1 + CYCLED);

    private final Page b = p(SAME_BUCKET[0]);

    public PageAddressLookupSurvivesRemovalsInItsBucket(Fault... faults) {
        super(config(), faults);
        pin(1, b);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = onCpu0ThenFinish(cpu -> {
            for (int i = 0; i < ROUNDS; i++) {
                for (int k = 1; k <= CYCLED; k++) {
                    kmap(cpu, p(SAME_BUCKET[k]));
                }
                for (int k = 1; k <= CYCLED; k++) {
                    kunmap(cpu, p(SAME_BUCKET[k]));
                }
                kmapFlushUnused(cpu);
            }
            return ROUNDS + " rounds of " + CYCLED + " inserts and " + CYCLED + " removals";
        });
    }

    @Actor
    public void cpu1(LLL_Result r) {
        // Found or not, both are right: CPU 0 maps and flushes A4 all the while.
        Page last = p(SAME_BUCKET[CYCLED]);
        r.r2 = untilCpu0Finishes(1, cpu -> relaxThenLookUp(cpu, last), "A4 looked up until CPU 0 finished");
    }

    private void relaxThenLookUp(Cpu cpu, Page page) {
        for (int i = 0; i < RELAX_BEFORE_LOOKUP; i++) {
            cpu.cpuRelax();
        }
        m.highmem().pageAddress(cpu, page);
    }

    /** Which of the five pages the bucket still lists. */
    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = on(0, cpu -> {
            StringBuilder listed = new StringBuilder("bucket");
            for (int k = 0; k <= CYCLED; k++) {
                if (m.highmem().pageAddress(cpu, p(SAME_BUCKET[k])) != 0) {
                    listed.append(k == 0 ? " B" : " A" + k);
                }
            }
            return listed.toString();
        });
    }

    private static MachineConfig.Builder config() {
        return SmallMachine.small(Profile.ARM_LIKE, LAST_PKMAP, HIGHMEM_PAGES);
    }

    /** The first {@code n} highmem pages (by index) that share a page_address bucket. */
    private static int[] sameBucket(int n) {
        Machine probe = Machine.build(config().build());
        int[][] byBucket = new int[1 << PageAddressTable.PA_HASH_ORDER][n];
        int[] filled = new int[byBucket.length];
        for (int k = 0; k < probe.highPageCount(); k++) {
            int bucket = probe.pageAddressTable().bucketOf(probe.highPage(k));
            byBucket[bucket][filled[bucket]++] = k;
            if (filled[bucket] == n) {
                return byBucket[bucket];
            }
        }
        throw new IllegalStateException("no " + n + " of " + HIGHMEM_PAGES + " highmem pages share a bucket");
    }
}
