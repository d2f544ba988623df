package dev.kmapstress.torture;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The run-wide switches every worker obeys between rounds: stop, and stutter (locktorture's
 * periodic pause of all workers).
 *
 * <p>Unlike locktorture's, a pause begins only once every live worker has parked, with all its
 * mappings released. A task still asleep in map_new_virtual at that moment has nobody left to
 * wake it: in the faithful model the last release woke it, so it parks too; with a lost
 * wake-up it sleeps on, the pause cannot begin, and the hung-task detector reports it. That
 * turns a lost wake-up, which under load the next release would hide, into a report.
 */
final class RunControl {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean stopping;
    private volatile boolean pausing;
    private int live;
    private int parked;
    private long pauses;

    RunControl(int workers) {
        this.live = workers;
    }

    /** Whether workers should finish their rounds and end. */
    boolean stopping() {
        return stopping;
    }

    /** Whether workers should park at the end of their rounds. */
    boolean pausing() {
        return pausing;
    }

    /** Asks every worker to end and wakes everyone waiting here. */
    void stop() {
        stopping = true;
        signal();
    }

    /** A worker waits here, its mappings released, until the pause is over. */
    void park() {
        lock.lock();
        try {
            parked++;
            changed.signalAll();
            while (pausing && !stopping) {
                changed.awaitUninterruptibly();
            }
            parked--;
        } finally {
            lock.unlock();
        }
    }

    /** A worker has ended: pauses no longer wait for it. */
    void leave() {
        lock.lock();
        try {
            live--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Pauses completed so far. */
    long pauses() {
        lock.lock();
        try {
            return pauses;
        } finally {
            lock.unlock();
        }
    }

    /** The stutter thread's loop: run, gather every worker, pause, release them; until stop. */
    void stutter(StutterSpec spec) {
        lock.lock();
        try {
            while (!stopping) {
                awaitNanos(spec.run().toNanos());
                if (stopping) {
                    break;
                }
                pausing = true;
                while (parked < live && !stopping) {
                    changed.awaitUninterruptibly();
                }
                awaitNanos(spec.pause().toNanos());
                pausing = false;
                pauses++;
                changed.signalAll();
            }
        } finally {
            pausing = false;
            lock.unlock();
        }
    }

    private void awaitNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !stopping; left = end - System.nanoTime()) {
            try {
                changed.awaitNanos(left);
            } catch (InterruptedException e) {
                stopping = true;
            }
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
