package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;

/**
 * Anderson's array-based queue lock: a CPU takes a ticket with fetch-and-add and spins on its
 * own padded slot of a circular array until the previous holder sets it. FIFO, and each waiter
 * spins on a line of its own, so a release disturbs only the next waiter; costs one padded
 * slot per possible waiter in every lock.
 *
 * <p>Algorithmic notes. {@code tail} counts tickets; ticket t waits on slot
 * {@code t & (capacity - 1)}. Slot 0 starts granted. The holder clears its own slot (plain: the
 * next one to set it again is ordered after this by the chain of hand-overs), remembers it in
 * {@code holderSlot} (read back only by itself in unlock), and unlock grants the next slot with
 * a release store that pairs with the waiter's acquire read. The capacity is one slot per CPU
 * and nesting context, rounded up to a power of two, so that even a CPU whose interrupt handler
 * queues behind its own task (a deadlock the lockup detector then reports) never shares a slot.
 * The ticket counter may wrap: the capacity divides 2^32.
 */
public final class AndersonLock implements LockStrategy {

    /** Registers the strategy as {@code anderson}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "anderson"; }
        @Override public String description() {
            return "Anderson array queue lock: FIFO, each waiter spins on its own slot; a slot per CPU";
        }
        @Override public LockStrategy create(int nrCpus) { return new AndersonLock(nrCpus); }
        @Override public boolean fifo() { return true; }
    }

    /** Nesting contexts per CPU (task, softirq, hardirq, NMI). */
    private static final int CONTEXTS = 4;
    private static final int TAIL = Padded.at(0, 0);
    private static final int HOLDER_SLOT = Padded.at(1, 0);
    private static final int FIRST_SLOT_LINE = 2;

    private final int mask;
    private final int[] words;

    AndersonLock(int nrCpus) {
        int capacity = Integer.highestOneBit(Math.max(1, nrCpus * CONTEXTS - 1)) << 1;
        this.mask = capacity - 1;
        this.words = Padded.lines(FIRST_SLOT_LINE + capacity);
        words[slot(0)] = 1;
    }

    private static int slot(int i) {
        return Padded.at(FIRST_SLOT_LINE + i, 0);
    }

    @Override
    public void lock(CpuContext cpu) {
        int my = (int) INT.getAndAdd(words, TAIL, 1) & mask;
        while ((int) INT.getAcquire(words, slot(my)) == 0) {
            cpu.cpuRelax();
        }
        owned(my);
    }

    private void owned(int my) {
        INT.set(words, slot(my), 0);
        INT.set(words, HOLDER_SLOT, my);
    }

    @Override
    public void unlock(CpuContext cpu) {
        int my = (int) INT.get(words, HOLDER_SLOT);
        INT.setRelease(words, slot((my + 1) & mask), 1);
    }

    /** The hand-over is one store to the next slot: nothing to wait for. */
    @Override
    public boolean unlockWaits() {
        return false;
    }

    /**
     * Takes ticket t only if its slot is already granted: then no one holds the lock or waits,
     * and a compare-and-set on the counter makes the ticket ours.
     *
     * <p>Why the tail is read with acquire (an opaque read allowed two owners). A granted slot
     * can be stale: slot {@code t & mask} was last granted to ticket {@code t - capacity}, and
     * that ticket's owner cleared it with a plain store; reading the old 1 after that clear
     * would hand us ticket t while ticket t - 1 holds the lock. The read of the slot must
     * therefore happen-after that clear, and only the tail read can provide the edge:
     * <ol>
     * <li>The tail value t was written by the read-modify-write that took ticket t - 1; the
     *     counter's read-modify-writes are volatile, each synchronizes with the next, so
     *     reading t with acquire makes everything before any ticket take up to t - 1
     *     happen-before our slot read (an opaque read gives no edge at all, and leaves the
     *     later acquire read of the slot free to be satisfied before it: acquire orders only
     *     what follows it).</li>
     * <li>Some take up to t - 1 comes after that clear. The capacity tickets t - capacity to
     *     t - 1 were taken by at most 4 * nrCpus &le; capacity contexts (CPU, nesting level),
     *     ours among them as a context that is not waiting; so one context took two of them,
     *     or took one and is ours. A context takes its next ticket only after it was granted
     *     its previous one (it held it, or recursed into an AA deadlock while holding it), and
     *     every grant of a ticket after t - capacity comes, hand-over by hand-over, after the
     *     unlock of t - capacity, which follows its clear.</li>
     * </ol>
     * x86 does not reorder two loads, so no run on the machines we test on tells the two
     * versions apart: this argument is the test of the fix. The instrument that would see the
     * opaque version fail on a weakly ordered machine (AArch64, POWER) is jcstress-tests'
     * {@code TryLockExclusionRace}.
     */
    @Override
    public boolean tryLock(CpuContext cpu) {
        int t = (int) INT.getAcquire(words, TAIL);
        int my = t & mask;
        if ((int) INT.getAcquire(words, slot(my)) == 0 || !INT.compareAndSet(words, TAIL, t, t + 1)) {
            return false;
        }
        owned(my);
        return true;
    }
}
