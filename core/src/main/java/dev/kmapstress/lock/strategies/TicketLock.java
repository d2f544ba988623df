package dev.kmapstress.lock.strategies;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The ticket spinlock (x86's spinlock before qspinlock): a CPU takes the next ticket and spins
 * until {@code owner} reaches it. FIFO; every waiter spins on the one shared word, so each
 * release invalidates every waiter's cache line.
 *
 * <p>Algorithmic notes: {@code next} is advanced with an atomic fetch-and-add (the only RMW);
 * {@code owner} is written only by the holder, with release semantics, and read by waiters
 * with acquire semantics, which orders the critical sections. The two counters sit on separate
 * cache lines so that taking a ticket does not disturb the spinners' line more than once.
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

    private static final VarHandle NEXT;
    private static final VarHandle OWNER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            NEXT = l.findVarHandle(TicketLock.class, "next", int.class);
            OWNER = l.findVarHandle(TicketLock.class, "owner", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") private long p01, p02, p03, p04, p05, p06, p07;
    @SuppressWarnings("unused") private int next;
    @SuppressWarnings("unused") private long p11, p12, p13, p14, p15, p16, p17;
    @SuppressWarnings("unused") private int owner;
    @SuppressWarnings("unused") private long p21, p22, p23, p24, p25, p26, p27;

    @Override
    public void lock(CpuContext cpu) {
        int ticket = (int) NEXT.getAndAdd(this, 1);
        while ((int) OWNER.getAcquire(this) != ticket) {
            cpu.cpuRelax();
        }
    }

    @Override
    public void unlock(CpuContext cpu) {
        // Only the holder writes owner: a plain read and a release store suffice.
        OWNER.setRelease(this, (int) OWNER.get(this) + 1);
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        int ticket = (int) OWNER.getAcquire(this);
        return (int) NEXT.getOpaque(this) == ticket && NEXT.compareAndSet(this, ticket, ticket + 1);
    }
}
