package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;

/**
 * The ticket spinlock (x86's spinlock before qspinlock): a CPU takes the next ticket and spins
 * until {@code owner} reaches it. FIFO; every waiter spins on the one shared word, so each
 * release invalidates every waiter's cache line.
 *
 * <p>Algorithmic notes: {@code next} is advanced with an atomic fetch-and-add (the only RMW);
 * {@code owner} is written only by the holder, with release semantics, and read by waiters
 * with acquire semantics, which orders the critical sections. The two counters sit on separate
 * padded lines so that taking a ticket does not disturb the spinners' line more than once.
 */
public final class TicketLock implements LockStrategy {

    /** Registers the strategy as {@code ticket}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "ticket"; }
        @Override public String description() {
            return "FIFO ticket spinlock; fair, but every waiter spins on one shared word";
        }
        @Override public LockStrategy create(int nrCpus) { return new TicketLock(); }
        @Override public boolean fifo() { return true; }
    }

    private static final int NEXT = Padded.at(0, 0);
    private static final int OWNER = Padded.at(1, 0);

    private final int[] words = Padded.lines(2);

    @Override
    public void lock(CpuContext cpu) {
        int ticket = (int) INT.getAndAdd(words, NEXT, 1);
        while ((int) INT.getAcquire(words, OWNER) != ticket) {
            cpu.cpuRelax();
        }
    }

    @Override
    public void unlock(CpuContext cpu) {
        // Only the holder writes owner: a plain read and a release store suffice.
        INT.setRelease(words, OWNER, (int) INT.get(words, OWNER) + 1);
    }

    /** A release store: nothing to wait for. */
    @Override
    public boolean unlockWaits() {
        return false;
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        int ticket = (int) INT.getAcquire(words, OWNER);
        return (int) INT.getOpaque(words, NEXT) == ticket
                && INT.compareAndSet(words, NEXT, ticket, ticket + 1);
    }
}
