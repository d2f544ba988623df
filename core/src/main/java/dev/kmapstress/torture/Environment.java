package dev.kmapstress.torture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The machine and software a result came from, as every results file records it: JDK, OS,
 * CPU model and count, kmap-stress version, date.
 */
public final class Environment {

    private Environment() {
    }

    /** The description of this JVM's environment. */
    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", OffsetDateTime.now().withNano(0).toString());
        m.put("kmapStress", version());
        m.put("jdk", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.vm.version") + ", " + System.getProperty("java.vendor") + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("cpuModel", cpuModel());
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        return m;
    }

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = Environment.class.getResourceAsStream("/kmap-stress-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    /** The CPU model from /proc/cpuinfo where there is one. */
    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
