package dev.kmapstress.lock;

import java.time.Duration;

/**
 * A CPU for testing strategies without a machine: an id and a nesting context, and a
 * {@link #cpuRelax()} that counts spins, yields now and then (tests run more threads than the
 * machine has cores) and can deliver one interrupt: a handler that runs inside the spin, in
 * hard-IRQ context, as hardware would deliver it. Its lockup detector is off unless set with
 * {@link #lockupAfter}: then it throws {@link Lockup} from the spin that exceeds the limit.
 * Otherwise a CPU still spinning {@link #ABANDONED} after it was made fails its thread: beyond
 * the JUnit timeout, which fails the test first, so that no thread is left spinning behind it.
 */
public final class FakeCpu implements CpuContext {

    private final int id;
    private int context;
    private volatile int spins;
    private volatile boolean blocked;
    private Runnable interrupt;
    /** After this a spinning FakeCpu gives up: longer than any test may run (junit-platform.properties). */
    static final Duration ABANDONED = Duration.ofMinutes(6);

    private int lockupAfter = Integer.MAX_VALUE;
    private final long born = System.nanoTime();

    public FakeCpu(int id) {
        this.id = id;
    }

    /** Thrown by {@link #cpuRelax()} once the CPU has spun more than its limit. */
    public static final class Lockup extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Lockup(FakeCpu cpu) {
            super("CPU#" + cpu.id + " spun " + cpu.spins + " times", null, false, false);
        }
    }

    /** Makes the CPU throw {@link Lockup} after {@code spins} more spins. */
    public FakeCpu lockupAfter(int spins) {
        this.lockupAfter = this.spins + spins;
        return this;
    }

    /** Runs {@code body} in nesting context {@code level} (2: hard IRQ), as a handler would. */
    public void inContext(int level, Runnable body) {
        int saved = context;
        context = level;
        try {
            body.run();
        } finally {
            context = saved;
        }
    }

    @Override
    public int id() { return id; }

    @Override
    public int nestingContext() { return context; }

    /** Spins so far (readable from any thread). */
    public int spins() { return spins; }

    /** Whether the CPU has spun or blocked at least once: it is waiting for a lock. */
    public boolean waiting() { return spins != 0 || blocked; }

    /** Delivers {@code handler} as a hard interrupt at the next spin. */
    public void interruptAtNextSpin(Runnable handler) {
        this.interrupt = handler;
    }

    @Override
    public void cpuRelax() {
        int s = spins + 1;
        spins = s;
        if (s > lockupAfter) {
            throw new Lockup(this);
        }
        Runnable handler = interrupt;
        if (handler != null) {
            interrupt = null;
            inContext(2, handler);
        }
        if ((s & 63) == 0) {
            if (System.nanoTime() - born > ABANDONED.toNanos()) {
                throw new AssertionError("cpu" + id + " still spins " + ABANDONED.toSeconds() + " s after it was made");
            }
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    @Override
    public void blockingWaitBegin() {
        blocked = true;
    }

    @Override
    public void blockingWaitEnd() {
    }
}
