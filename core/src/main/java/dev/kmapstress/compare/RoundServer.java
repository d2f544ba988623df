package dev.kmapstress.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmapstress.torture.RunOutput;
import dev.kmapstress.torture.TortureConfig;
import dev.kmapstress.torture.TortureResult;
import dev.kmapstress.torture.TortureRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The forked JVM's side of a comparison (see {@link Fork}): it holds one configuration and runs
 * a round of it each time the comparison asks, so that the JIT compiles this configuration's
 * code alone (as a JMH fork does) and whatever a round leaves behind dies with this JVM.
 *
 * <p>Protocol, one line each way: {@code READY} out once the JVM is up (its start-up is not a
 * round's time), then {@code RUN <duration ms> <watchdog ms> <seed>} in, {@code ROUND <json>}
 * out; end of input ends the server. A round that leaves a thread it
 * could not stop is answered, then this JVM halts: nothing of it may run beside the next round.
 */
public final class RoundServer {

    static final String READY = "READY";
    static final String RUN = "RUN";
    static final String ROUND = "ROUND";
    /** Threads of a torture run are named so (workers, stutter, watchdog). */
    static final String RUN_THREADS = "torture-";
    /** How long the run's helper threads (watchdog, stutter) get to notice the run is over. */
    private static final long THREADS_GONE_MILLIS = 2_000;

    private RoundServer() {
    }

    /** Serves rounds of {@code config} until {@code in} ends; returns the exit status. */
    public static int serve(TortureConfig config, BufferedReader in, PrintStream out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        out.println(READY);
        out.flush();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] w = line.trim().split(" ");
            if (w.length != 4 || !w[0].equals(RUN)) {
                throw new IOException("round server: expected 'RUN <ms> <watchdog ms> <seed>', got '" + line + "'");
            }
            TortureConfig c = roundConfig(config, Duration.ofMillis(Long.parseLong(w[1])),
                    Duration.ofMillis(Long.parseLong(w[2])), Long.parseLong(w[3]));
            TortureResult r = new TortureRunner(c, RunOutput.silent()).run();
            boolean gone = r.abandoned().isEmpty() && runThreadsGone(THREADS_GONE_MILLIS);
            out.println(ROUND + " " + json.writeValueAsString(Round.of(c, r)));
            out.flush();
            if (!gone) {
                Runtime.getRuntime().halt(3);
            }
        }
        return 0;
    }

    /**
     * Joins every thread of the torture run just ended, within {@code millis} altogether; true
     * if none is left. The runner has joined its workers already; its watchdog and stutter
     * threads end within a period of their loops.
     */
    static boolean runThreadsGone(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(RUN_THREADS)) {
                try {
                    t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                if (t.isAlive()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * One round's configuration: its length, seed and watchdog, the long hold kept within a
     * quarter of the watchdog as torture requires.
     */
    static TortureConfig roundConfig(TortureConfig config, Duration duration, Duration watchdog, long seed) {
        Duration longHold = config.longHold().multipliedBy(4).compareTo(watchdog) > 0
                ? watchdog.dividedBy(4) : config.longHold();
        return config.toBuilder().duration(duration).watchdog(watchdog).longHold(longHold)
                .statInterval(duration).seed(seed).build();
    }
}
