package dev.kmapstress.results;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Where and how a results file was produced, as every results file records it: the date (UTC),
 * the kmap-stress version and git commit, the command and a free-form note, the JDK, OS, CPU
 * model, available processors and heap, and the one-minute load average when the run started
 * and when it ended (a loaded machine makes noisy figures: a reader must see it).
 *
 * <p>Files written before a field existed read back with that field empty (null, 0 or NaN);
 * files of before compare's schema 2 named the commit {@code gitCommit}, the processors
 * {@code cpus} and the load {@code loadBefore}/{@code loadAfter}, and still read.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Environment(String date, String kmapStress, String commit, String command, String note,
        String jdk, String os, String cpuModel, int availableProcessors, long maxHeapMiB, LoadAverage loadAverage) {

    /** The one-minute system load average at the start and at the end of a run, NaN where unknown. */
    public record LoadAverage(double start, double end) {
    }

    public Environment {
        loadAverage = loadAverage == null ? new LoadAverage(Double.NaN, Double.NaN) : loadAverage;
    }

    /** Reads an environment of any version (the older names are the second of each pair). */
    @JsonCreator
    static Environment read(@JsonProperty("date") String date, @JsonProperty("kmapStress") String kmapStress,
            @JsonProperty("commit") String commit, @JsonProperty("gitCommit") String gitCommit,
            @JsonProperty("command") String command, @JsonProperty("note") String note,
            @JsonProperty("jdk") String jdk, @JsonProperty("os") String os, @JsonProperty("cpuModel") String cpuModel,
            @JsonProperty("availableProcessors") Integer availableProcessors, @JsonProperty("cpus") Integer cpus,
            @JsonProperty("maxHeapMiB") long maxHeapMiB, @JsonProperty("loadAverage") LoadAverage loadAverage,
            @JsonProperty("loadBefore") Double loadBefore, @JsonProperty("loadAfter") Double loadAfter) {
        return new Environment(date, kmapStress, commit != null ? commit : gitCommit, command, note, jdk, os, cpuModel,
                availableProcessors != null ? availableProcessors : cpus != null ? cpus : 0, maxHeapMiB,
                loadAverage != null ? loadAverage : new LoadAverage(loadBefore == null ? Double.NaN : loadBefore,
                        loadAfter == null ? Double.NaN : loadAfter));
    }

    /** The environment of this JVM now, about to run {@code command}; the load at the end is NaN. */
    public static Environment capture(String command, String note) {
        return new Environment(
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), // always with seconds, even :00
                version(), currentCommit(), command, note == null ? "" : note,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version")
                        + " (" + System.getProperty("os.arch") + ")",
                cpuModel(Path.of("/proc/cpuinfo")),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                new LoadAverage(loadNow(), Double.NaN));
    }

    /** What a file that does not record its environment tells: only {@code jdk}. */
    public static Environment notRecorded(String jdk) {
        String none = "not recorded";
        return new Environment(none, none, none, none, "", jdk, none, none, 0, 0, null);
    }

    /** The same environment with the load average of now as the load at the end. */
    public Environment finished() {
        return new Environment(date, kmapStress, commit, command, note, jdk, os, cpuModel, availableProcessors,
                maxHeapMiB, new LoadAverage(loadAverage.start(), loadNow()));
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
    private static double loadNow() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Double.NaN : load;
    }

    /** The version Maven wrote into the jar. */
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

    /**
     * The commit of the working directory's git checkout, with {@code -dirty} when files differ
     * from it; {@code unknown} outside a checkout or without git.
     */
    static String currentCommit() {
        String head = git("rev-parse", "HEAD");
        if (head.isEmpty()) {
            return "unknown";
        }
        return git("status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + "-dirty";
    }

    private static String git(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).trim() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
