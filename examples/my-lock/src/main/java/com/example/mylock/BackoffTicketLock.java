package com.example.mylock;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A ticket lock with proportional backoff (Mellor-Crummey and Scott, 1991): a waiter that is
 * k places from the head pauses about k times the typical hold before it looks again, so the
 * waiters do not all hammer the {@code owner} word a ticket lock makes them share.
 *
 * <p>Written against kmap-stress's lock SPI only and registered by
 * {@code META-INF/services/dev.kmapstress.lock.LockStrategyProvider}: with this jar on the class
 * path, every kmap-stress command and suite finds it as {@code my-lock}.
 */
public final class BackoffTicketLock implements LockStrategy {

    /** Pauses per place in the queue; a pause is one {@code cpuRelax()}. */
    private static final int PAUSES_PER_PLACE = 8;

    /** Registers the lock as {@code my-lock}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "my-lock"; }
        @Override public String description() {
            return "example user lock: ticket lock with proportional backoff (FIFO)";
        }
        @Override public LockStrategy create(int nrCpus) { return new BackoffTicketLock(); }
        @Override public boolean fifo() { return true; }
    }

    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger owner = new AtomicInteger();

    @Override
    public void lock(CpuContext cpu) {
        int ticket = next.getAndIncrement();
        for (int ahead; (ahead = ticket - owner.get()) != 0; ) {
            for (int i = 0; i < ahead * PAUSES_PER_PLACE; i++) {
                cpu.cpuRelax();
            }
        }
    }

    @Override
    public void unlock(CpuContext cpu) {
        owner.incrementAndGet();
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        int t = owner.get();
        return next.compareAndSet(t, t + 1);
    }
}
