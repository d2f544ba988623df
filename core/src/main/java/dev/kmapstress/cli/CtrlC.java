package dev.kmapstress.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for a long-running command: while it is open, a JVM shutdown interrupts the command's
 * thread (the torture runner then stops its workers and prints the summary so far) and waits
 * until the command closes it, having written its results, before the JVM exits.
 *
 * <pre>{@code
 * try (CtrlC c = CtrlC.interruptsThisThread()) {
 *     result = runner.run();
 *     write(result);
 * }
 * }</pre>
 */
final class CtrlC implements AutoCloseable {

    /** How long a shutdown waits for the command to finish writing. */
    private static final long WAIT_SECONDS = 60;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean shuttingDown;

    private CtrlC(Thread command) {
        this.hook = new Thread(() -> {
            shuttingDown = true;
            command.interrupt();
            try {
                finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kmap-stress-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Makes Ctrl-C interrupt the calling thread until {@link #close()}. */
    static CtrlC interruptsThisThread() {
        return new CtrlC(Thread.currentThread());
    }

    /**
     * Whether the JVM is shutting down (Ctrl-C, SIGTERM): the command's exit status then reaches
     * the shell only through {@link Runtime#halt}, once its results are written.
     */
    boolean shuttingDown() {
        return shuttingDown;
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (Ctrl-C): the hook is running, nothing to remove.
        }
    }
}
