package dev.kmapstress.jcstress.suite;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine a run happened on: one line with OS, architecture, CPUs and CPU model, and its
 * load (a loaded machine gives a test fewer samples: a reader must see it).
 */
final class Host {

    private Host() {
    }

    static String describe() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs"
                + cpuModel().map(m -> " (" + m + ")").orElse("");
    }

    /** The one-minute system load average, or NaN where the OS does not tell. */
    static double load() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Double.NaN : load;
    }

    /** The CPU model from /proc/cpuinfo, where there is one. */
    private static Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
