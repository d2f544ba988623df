package dev.kmapstress.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Where and how a results file was produced: JDK, OS, CPU model and count, the date (UTC), the
 * command, the system load average when the run started and ended (a loaded machine makes
 * noisy figures) and a free-form note.
 */
public record RunEnvironment(String jdk, String os, String cpuModel, int cpus, String date,
        String command, double loadBefore, double loadAfter, String note) {

    /** The environment of this JVM now, about to run {@code command}; load after is not known yet. */
    public static RunEnvironment capture(String command, String note) {
        return new RunEnvironment(
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version")
                        + " (" + System.getProperty("os.arch") + ")",
                cpuModel(Path.of("/proc/cpuinfo")),
                Runtime.getRuntime().availableProcessors(),
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString(),
                command, loadAverage(), Double.NaN, note == null ? "" : note);
    }

    /** The same environment with the load average of now as the load at the end. */
    public RunEnvironment finished() {
        return new RunEnvironment(jdk, os, cpuModel, cpus, date, command, loadBefore, loadAverage(), note);
    }

    /** The first {@code model name} of a cpuinfo file, or {@code unknown} if there is none. */
    static String cpuModel(Path cpuinfo) {
        try {
            List<String> lines = Files.readAllLines(cpuinfo);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException e) {
            // Not Linux, or not readable: the model is simply not known.
        }
        return "unknown";
    }

    /** The one-minute system load average, NaN where the OS does not tell. */
    private static double loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Double.NaN : load;
    }
}
