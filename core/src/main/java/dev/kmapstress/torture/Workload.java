package dev.kmapstress.torture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What a torture run's rounds are made of: a share per {@link Activity}. Spelled as one
 * activity's name ({@code persistent}), {@code mixed} (every activity, equal shares),
 * {@code mixed:KIND=WEIGHT,...} (e.g. {@code mixed:persistent=3,local=1}) or the name of one of
 * the kernel users' {@link #USERS} (e.g. {@code net-softirq}).
 */
public final class Workload {

    /**
     * A workload named for a kernel user of highmem mappings: the mix it is made of, whether
     * interrupts map pages too, and why that mix stands for the user.
     */
    public record User(String name, String mix, boolean interrupts, String rationale) {
    }

    /** The kernel users' workloads, as {@code list} and compare show them. */
    public static final List<User> USERS = List.of(
            new User("block-io", "persistent", false, "kmap() of each bio segment, several held at once and"
                    + " released in any order; may sleep in map_new_virtual for a PKMAP slot (bounce buffers,"
                    + " drivers doing PIO on highmem pages)"),
            new User("pagecache", "mixed:local=3,copy=1", false, "kmap_local_page() and a copy per read or write"
                    + " of a page-cache page (filemap_read, copy_page_to_iter); now and then a whole-page copy"),
            new User("net-softirq", "atomic", true, "kmap_atomic() of skb fragments with interrupts mapping pages"
                    + " from hard-IRQ context, as checksumming and copying fragments in softirq do"),
            new User("migrate", "copy", false, "copy_highpage() from the old page to the new one, both mapped"
                    + " with kmap_local inside the call (page migration, compaction, COW)"));

    private final String spec;
    private final List<Activity> kinds;
    private final int[] cumulative;
    private final boolean interrupts;

    private Workload(String spec, Map<Activity, Integer> weights, boolean interrupts) {
        this.spec = spec;
        this.interrupts = interrupts;
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
        for (User u : USERS) {
            if (u.name().equals(s)) {
                return new Workload(s, parse(u.mix()).weights(), u.interrupts());
            }
        }
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
        return new Workload(s, weights, false);
    }

    private Map<Activity, Integer> weights() {
        Map<Activity, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kinds.size(); i++) {
            m.put(kinds.get(i), cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]));
        }
        return m;
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
        return Activities.names() + ", mixed, mixed:KIND=WEIGHT,..., "
                + USERS.stream().map(User::name).collect(java.util.stream.Collectors.joining(", "));
    }

    /** The activities with a share above zero. */
    public List<Activity> activities() {
        return kinds;
    }

    /** Whether interrupts map pages too (the run injects them whatever --irq says). */
    public boolean interrupts() {
        return interrupts;
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
