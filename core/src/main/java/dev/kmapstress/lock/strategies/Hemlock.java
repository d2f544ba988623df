package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockPlatform;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Hemlock (Dice and Kogan, "Hemlock: Compact and Scalable Mutual Exclusion", SPAA 2021): a
 * queue lock with one word per lock (the tail) and one word per CPU and nesting context
 * ({@code grant}) shared by every lock of the machine, instead of a queue node per lock held.
 * A CPU swaps itself into the tail and waits until its predecessor's {@code grant} names this
 * lock; the predecessor, at unlock, writes the lock into its own {@code grant} and waits for
 * the successor to clear it (the acknowledgement), so that the word is free for its next lock.
 * FIFO; waiters spin on their predecessor's line; the unlock of a contended lock waits for the
 * successor to run, which costs a hand-over to a descheduled successor twice.
 *
 * <p>States; {@code tail} holds the last waiter's grant word + 1 (0 when free), {@code L} is
 * this lock's id:
 * <pre>
 *   free              tail 0    --lock: swap own word in-----------------&gt; tail me, held
 *   held, waiters     tail q    --a CPU swaps in, spins on grant[pred] == L
 *   unlock, alone     tail me   --compare-and-set tail me -&gt; 0-----------&gt; free
 *   unlock, handover  tail q    --grant[me] := L; the successor sees it, is the holder,
 *                                 and acknowledges: grant[me] := 0; unlock returns on 0
 *   trylock           tail 0    --compare-and-set tail 0 -&gt; me-----------&gt; held
 * </pre>
 *
 * <p>Algorithmic notes. The swap is acquire-release: it publishes the CPU's arrival and reads
 * its predecessor. The grant store is a release that pairs with the successor's acquire read
 * (the critical sections are ordered by it); the acknowledgement is a release store read with
 * acquire by the predecessor, so the successor's read of the grant comes before the word's
 * next use. A CPU holding several hemlocks releases them one at a time, each unlock returning
 * only once its grant word is clear again, so one word per CPU and context suffices. Lock ids
 * are numbered per machine from 1, so a grant word of 0 names no lock.
 */
public final class Hemlock implements LockStrategy {

    /** Registers the strategy as {@code hemlock}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "hemlock"; }
        @Override public String description() {
            return "Hemlock: FIFO, one word per lock and one grant word per CPU shared by all locks";
        }
        @Override public LockStrategy create(int nrCpus) { return new Hemlock(new Grants(nrCpus)); }
        @Override public boolean fifo() { return true; }

        /** Every lock of one machine shares that machine's grant words. */
        @Override public Supplier<LockStrategy> forMachine(LockPlatform platform) {
            Grants grants = new Grants(platform.nrCpus());
            return () -> new Hemlock(grants);
        }
    }

    private static final int CONTEXTS = 4;
    private static final int TAIL = Padded.at(0, 0);

    /** The grant words of one machine, one padded line per CPU and nesting context, and its lock ids. */
    static final class Grants {
        final int[] words;
        final AtomicInteger lastId = new AtomicInteger();

        Grants(int nrCpus) {
            this.words = Padded.lines(nrCpus * CONTEXTS);
        }

        static int grant(int owner) {
            return Padded.at(owner, 0);
        }
    }

    private final Grants grants;
    private final int id;
    private final int[] words = Padded.lines(1);

    Hemlock(Grants grants) {
        this.grants = grants;
        this.id = grants.lastId.incrementAndGet();
    }

    private static int owner(CpuContext cpu) {
        return cpu.id() * CONTEXTS + cpu.nestingContext();
    }

    @Override
    public void lock(CpuContext cpu) {
        int pred = (int) INT.getAndSet(words, TAIL, owner(cpu) + 1);
        if (pred == 0) {
            return;
        }
        int[] g = grants.words;
        int predGrant = Grants.grant(pred - 1);
        while ((int) INT.getAcquire(g, predGrant) != id) {
            cpu.cpuRelax();
        }
        INT.setRelease(g, predGrant, 0);
    }

    @Override
    public void unlock(CpuContext cpu) {
        int me = owner(cpu);
        if (INT.compareAndSet(words, TAIL, me + 1, 0)) {
            return;
        }
        int[] g = grants.words;
        int myGrant = Grants.grant(me);
        INT.setRelease(g, myGrant, id);
        while ((int) INT.getAcquire(g, myGrant) != 0) {
            cpu.cpuRelax();
        }
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        return INT.compareAndSet(words, TAIL, 0, owner(cpu) + 1);
    }
}
