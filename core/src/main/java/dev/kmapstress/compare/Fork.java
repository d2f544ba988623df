package dev.kmapstress.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own for one configuration's rounds, as JMH forks one per benchmark: its
 * {@link RoundServer} runs a round whenever asked. Runs cannot affect each other: a round whose
 * threads would not stop takes its JVM with it, and a round that does not answer within its
 * share of the time is killed with its JVM; {@link #close()} proves the process gone.
 */
final class Fork implements AutoCloseable {

    /** How long a fork may take to end once its input is closed, before it is killed. */
    private static final long EXIT_MILLIS = 2_000;
    private static final String EOF = "\u0000eof";
    /** How long a fork's sudden end waits for an interrupt of this JVM that would explain it. */
    private static final long INTERRUPT_GRACE_MILLIS = 500;

    private final Process process;
    private final Writer toChild;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path stderr;
    private final ObjectMapper json = new ObjectMapper();

    private Fork(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.toChild = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLines, "compare-fork-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The start of a command running {@code mainClass} in a JVM like this one: the same java,
     * classpath (user lock strategies included) and JVM options, as JMH forks do, less a
     * debugger's agent (its port is taken).
     */
    static List<String> java(String mainClass) {
        List<String> c = new java.util.ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp")).forEach(c::add);
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(mainClass);
        return c;
    }

    /**
     * Starts {@code command}, a JVM serving rounds, and waits until it is ready.
     *
     * @throws IOException it could not be started or was not ready by {@code deadlineNanos}
     *                     ({@link System#nanoTime()}); it is gone then
     * @throws InterruptedException the comparison was interrupted; the fork is gone
     */
    static Fork start(List<String> command, long deadlineNanos) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("kmap-stress-fork-", ".err");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        Fork f = new Fork(p, stderr);
        try {
            String l = f.lines.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!RoundServer.READY.equals(l)) {
                String why = l == null ? "was not ready in time" : "ended before it was ready" + f.stderrTail();
                f.close();
                throw new IOException("its JVM " + why);
            }
        } catch (InterruptedException e) {
            f.close();
            throw e;
        }
        return f;
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                lines.add(l);
            }
        } catch (IOException e) {
            // The fork died; EOF below tells the waiting round.
        }
        lines.add(EOF);
    }

    /**
     * Runs one round and returns what it measured; a round that does not answer by
     * {@code deadlineNanos} ({@link System#nanoTime()}) is lost and its fork killed.
     *
     * @throws InterruptedException the comparison was interrupted; the fork is killed
     */
    Round run(long durationMillis, long watchdogMillis, long seed, long deadlineNanos) throws InterruptedException {
        try {
            toChild.write(RoundServer.RUN + " " + durationMillis + " " + watchdogMillis + " " + seed + "\n");
            toChild.flush();
        } catch (IOException e) {
            return lost("its JVM would not take the round (" + e.getMessage() + ")" + stderrTail());
        }
        try {
            while (true) {
                String l = lines.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (l == null) {
                    kill();
                    return Round.lost("did not finish within its share of the time: its JVM was killed", false);
                }
                if (l.equals(EOF)) {
                    lines.add(EOF);
                    // Ctrl-C reaches the forks too: if it did, this JVM is being interrupted
                    // and the round was cut, not lost.
                    Thread.sleep(INTERRUPT_GRACE_MILLIS);
                    return lost("its JVM ended without an answer" + stderrTail());
                }
                if (l.startsWith(RoundServer.ROUND + " ")) {
                    return json.readValue(l.substring(RoundServer.ROUND.length() + 1), Round.class);
                }
            }
        } catch (InterruptedException e) {
            kill();
            throw e;
        } catch (IOException e) {
            kill();
            return Round.lost("unreadable answer from its JVM: " + e.getMessage(), false);
        }
    }

    private Round lost(String why) {
        kill();
        return Round.lost(why, false);
    }

    /** Whether the JVM can take another round. */
    boolean alive() {
        return process.isAlive() && !lines.contains(EOF);
    }

    /** The last line the JVM wrote to standard error, if any, for a lost round's reason. */
    private String stderrTail() {
        try {
            List<String> err = Files.readAllLines(stderr);
            return err.isEmpty() ? "" : ": " + err.get(err.size() - 1);
        } catch (IOException e) {
            return "";
        }
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * Ends the fork: closes its input (the server returns), kills it if it has not ended within
     * {@value #EXIT_MILLIS} ms, and waits until the process is gone.
     *
     * @throws IllegalStateException if the process outlives being killed
     */
    @Override
    public void close() {
        try {
            toChild.close();
        } catch (IOException e) {
            // Already gone.
        }
        boolean interrupted = Thread.interrupted();
        try {
            if (!process.waitFor(EXIT_MILLIS, TimeUnit.MILLISECONDS)) {
                kill();
                if (!process.waitFor(EXIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("fork " + process.pid() + " is still running after being killed");
                }
            }
        } catch (InterruptedException e) {
            kill();
            interrupted = true;
        } finally {
            try {
                Files.deleteIfExists(stderr);
            } catch (IOException e) {
                // A temporary file left behind; nothing depends on it.
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
