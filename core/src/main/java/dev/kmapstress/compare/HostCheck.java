package dev.kmapstress.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether this host can answer the question asked of it. A configuration with more CPUs than
 * the host has processors measures the host's scheduler time-slicing the workers, not the
 * locks; a load average above the processor count means other work took the processors away
 * for part of every round. Either way the comparison still runs, warns, and marks its file.
 */
public final class HostCheck {

    private HostCheck() {
    }

    /**
     * The warnings for a comparison at {@code cpus} CPU counts on a host with {@code processors}
     * processors whose one-minute load average was {@code loadStart} and {@code loadEnd} (NaN
     * where unknown or not yet known).
     */
    public static List<String> warnings(List<Integer> cpus, int processors, double loadStart, double loadEnd) {
        List<String> w = new ArrayList<>();
        int most = cpus.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (most > processors) {
            w.add(String.format(Locale.ROOT, "%d CPUs on a host with %d processors: the workers time-share the"
                    + " processors, so those rows measure the host's scheduler more than the locks", most, processors));
        }
        for (String when : List.of("start", "end")) {
            double load = when.equals("start") ? loadStart : loadEnd;
            if (load > processors) {
                w.add(String.format(Locale.ROOT, "load average %.2f at the %s exceeds the %d processors: other work"
                        + " took processors away during the rounds (the rank groups account for the noise it made,"
                        + " not for a bias it may have left)", load, when, processors));
            }
        }
        return w;
    }
}
