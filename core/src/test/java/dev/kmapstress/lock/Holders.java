package dev.kmapstress.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Threads that each hold a lock as a {@link FakeCpu} until told to let go, for tests that
 * stage who holds and who waits; {@link #joinAll} (a test's {@code @AfterEach}) joins them with
 * {@link Cpus}'s deadline and fails on anything they threw.
 */
public final class Holders {

    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    /**
     * Starts a thread that takes {@code lock} as {@code cpu}, sets {@code holding}, waits for
     * the returned flag, unlocks and clears {@code holding}.
     */
    public AtomicBoolean holdInThread(LockStrategy lock, FakeCpu cpu, AtomicBoolean holding) {
        AtomicBoolean release = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                lock.lock(cpu);
                holding.set(true);
                Cpus.await(release::get);
                lock.unlock(cpu);
                holding.set(false);
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "cpu" + cpu.id());
        t.start();
        threads.add(t);
        return release;
    }

    /** The {@code i}-th thread started, in start order. */
    public Thread thread(int i) {
        return threads.get(i);
    }

    /** The thread started last. */
    public Thread last() {
        return threads.get(threads.size() - 1);
    }

    /** Errors of threads the test started itself, to be reported with the holders'. */
    public List<Throwable> errors() {
        return errors;
    }

    /** Joins every holder within the deadline and fails if any threw. */
    public void joinAll() throws InterruptedException {
        Cpus.join(threads);
        assertThat(errors).isEmpty();
    }
}
