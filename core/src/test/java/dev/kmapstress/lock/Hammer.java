package dev.kmapstress.lock;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Threads, each a {@link FakeCpu}, incrementing one plain (non-atomic) counter under a lock.
 * The read and the write of the counter are apart by a spin hint, so that two threads inside
 * at once lose an increment.
 */
final class Hammer {

    /** Guarded by the lock under test, and by nothing else. */
    private int counter;

    private Hammer() {
    }

    /** The final count after {@code threads} threads did {@code iterations} increments each. */
    static int run(LockStrategy lock, int threads, int iterations) throws InterruptedException {
        Hammer h = new Hammer();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            FakeCpu cpu = new FakeCpu(t);
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < iterations; i++) {
                        lock.lock(cpu);
                        int v = h.counter;
                        Thread.onSpinWait();
                        h.counter = v + 1;
                        lock.unlock(cpu);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "hammer-" + t);
            ts[t].start();
        }
        start.countDown();
        for (Thread t : ts) {
            Cpus.join(t);
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("a hammer thread failed", errors.get(0));
        }
        return h.counter;
    }
}
