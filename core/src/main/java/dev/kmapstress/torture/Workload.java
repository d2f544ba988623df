package dev.kmapstress.torture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What a torture run's rounds are made of: a share per {@link Activity}. Spelled as one
 * activity's name ({@code persistent}), {@code mixed} (every activity, equal shares) or
 * {@code mixed:KIND=WEIGHT,...} (e.g. {@code mixed:persistent=3,local=1}).
 */
public final class Workload {

    private final String spec;
    private final List<Activity> kinds;
    private final int[] cumulative;

    private Workload(String spec, Map<Activity, Integer> weights) {
        this.spec = spec;
        this.kinds = new ArrayList<>(weights.keySet());
        this.cumulative = new int[kinds.size()];
        int sum = 0;
        for (int i = 0; i < kinds.size(); i++) {
            sum += weights.get(kinds.get(i));
            cumulative[i] = sum;
        }
    }

    /**
     * Parses a workload.
     *
     * @throws IllegalArgumentException naming the value and listing the allowed spellings
     */
    public static Workload parse(String spec) {
        String s = spec.trim();
        Map<Activity, Integer> weights = new LinkedHashMap<>();
        if (s.equals("mixed")) {
            Activities.all().forEach(k -> weights.put(k, 1));
        } else if (s.startsWith("mixed:")) {
            for (String share : s.substring("mixed:".length()).split(",")) {
                parseShare(share, weights);
            }
        } else {
            weights.put(kind(s), 1);
        }
        if (weights.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw refused("the shares add up to 0");
        }
        weights.values().removeIf(w -> w == 0);
        return new Workload(s, weights);
    }

    private static void parseShare(String share, Map<Activity, Integer> weights) {
        int eq = share.indexOf('=');
        Activity k = kind(eq < 0 ? share.trim() : share.substring(0, eq).trim());
        int w = 1;
        if (eq >= 0) {
            try {
                w = Integer.parseInt(share.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                w = -1;
            }
            if (w < 0) {
                throw refused("weight '" + share.substring(eq + 1) + "' is not a whole number >= 0");
            }
        }
        if (weights.putIfAbsent(k, w) != null) {
            throw refused(k.name() + " is given twice");
        }
    }

    private static Activity kind(String name) {
        Activity k = Activities.byName(name);
        if (k == null) {
            throw refused("unknown workload '" + name + "'");
        }
        return k;
    }

    private static IllegalArgumentException refused(String why) {
        return new IllegalArgumentException(why + "; allowed: " + allowed());
    }

    /** The spellings a workload may take in this build. */
    public static String allowed() {
        return Activities.names() + ", mixed, mixed:KIND=WEIGHT,...";
    }

    /** The activities with a share above zero. */
    public List<Activity> activities() {
        return kinds;
    }

    /** An activity drawn with the workload's shares. */
    public Activity pick(SplittableRandom random) {
        int r = random.nextInt(cumulative[cumulative.length - 1]);
        int i = 0;
        while (cumulative[i] <= r) {
            i++;
        }
        return kinds.get(i);
    }

    /** The spelling it was parsed from. */
    @Override
    public String toString() {
        return spec;
    }
}
