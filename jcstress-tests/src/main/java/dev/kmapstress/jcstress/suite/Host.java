package dev.kmapstress.jcstress.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** One line describing the machine a run happened on: OS, architecture, CPUs and CPU model. */
final class Host {

    private Host() {
    }

    static String describe() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs"
                + cpuModel().map(m -> " (" + m + ")").orElse("");
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
