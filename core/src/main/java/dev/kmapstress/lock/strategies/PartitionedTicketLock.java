package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;

/**
 * Dice's partitioned ticket lock (Dice, "Brief Announcement: A Partitioned Ticket Lock", SPAA
 * 2011): a ticket lock whose "now serving" counter is split over several padded grant words,
 * so waiters for different tickets spin on different lines. FIFO like the ticket lock, nearly
 * the local spinning of Anderson's lock, and a grant word names the ticket it admits, so no
 * waiter (and no trylock) can mistake an old grant for its own.
 *
 * <p>States; {@code next} is the next ticket to hand out, {@code grant[k]} the last ticket
 * admitted through partition k, P the number of partitions:
 * <pre>
 *   free            grant[next % P] == next
 *   lock            t = next++ (fetch-and-add), then spin until grant[t % P] == t
 *   held by t       grant[t % P] == t, holder = t, next &gt; t
 *   unlock by t     grant[(t + 1) % P] := t + 1 (release)
 *   trylock         t = next; if grant[t % P] == t: next: t -&gt; t + 1 (compare-and-set)
 * </pre>
 * Initially {@code grant[0] = 0} and {@code grant[k] = k - P}: partition k last admitted the
 * ticket P before its first own one.
 *
 * <p>Algorithmic notes. The fetch-and-add on {@code next} is the only read-modify-write of
 * {@code lock}; the grant store is a release that pairs with the waiter's acquire read and
 * orders the critical sections. {@code holder} is written by the holder after it is admitted
 * and read back only by itself in unlock (plain). A trylock that reads an out-of-date
 * {@code next} or grant just fails: a grant equal to t was written by the unlock of ticket
 * t - 1 (the acquire read orders us after it) and the compare-and-set makes t ours only if
 * nobody took it meanwhile. P is the CPU count rounded up to a power of two (2 to 16), so
 * with one waiter per CPU each spins on its own line; nested contexts may share one.
 */
public final class PartitionedTicketLock implements LockStrategy {

    /** Registers the strategy as {@code partitioned-ticket}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "partitioned-ticket"; }
        @Override public String description() {
            return "Dice's partitioned ticket lock: FIFO, waiters spin on one of P grant lines";
        }
        @Override public LockStrategy create(int nrCpus) { return new PartitionedTicketLock(nrCpus); }
        @Override public boolean fifo() { return true; }
    }

    static final int MIN_PARTITIONS = 2;
    static final int MAX_PARTITIONS = 16;

    private static final int NEXT = Padded.at(0, 0);
    private static final int HOLDER = Padded.at(1, 0);
    private static final int FIRST_GRANT_LINE = 2;

    private final int mask;
    private final int[] words;

    PartitionedTicketLock(int nrCpus) {
        int partitions = Math.min(MAX_PARTITIONS, Math.max(MIN_PARTITIONS, Integer.highestOneBit(nrCpus - 1) << 1));
        this.mask = partitions - 1;
        this.words = Padded.lines(FIRST_GRANT_LINE + partitions);
        for (int k = 1; k < partitions; k++) {
            words[grant(k)] = k - partitions;
        }
    }

    private static int grant(int partition) {
        return Padded.at(FIRST_GRANT_LINE + partition, 0);
    }

    @Override
    public void lock(CpuContext cpu) {
        int t = (int) INT.getAndAdd(words, NEXT, 1);
        while ((int) INT.getAcquire(words, grant(t & mask)) != t) {
            cpu.cpuRelax();
        }
        INT.set(words, HOLDER, t);
    }

    @Override
    public void unlock(CpuContext cpu) {
        int t = (int) INT.get(words, HOLDER) + 1;
        INT.setRelease(words, grant(t & mask), t);
    }

    /** The hand-over is one store to the next grant: nothing to wait for. */
    @Override
    public boolean unlockWaits() {
        return false;
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        int t = (int) INT.getOpaque(words, NEXT);
        if ((int) INT.getAcquire(words, grant(t & mask)) != t || !INT.compareAndSet(words, NEXT, t, t + 1)) {
            return false;
        }
        INT.set(words, HOLDER, t);
        return true;
    }
}
