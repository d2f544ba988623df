package dev.kmapstress.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Joins the shards of one comparison ({@code --shard K/N} on several machines) into one: their
 * rows, ranked again within each workload x CPUs exactly as one run's would be (ranks and the
 * split-half check follow from the rounds alone). Shards must come from the same command (the
 * same settings but the shard, seed and total) and may not measure a configuration twice; a
 * missing shard is said, not hidden.
 */
public final class ShardMerge {

    /** Settings that may differ between the shards of one comparison. */
    private static final Set<String> PER_SHARD = Set.of("shard", "seed", "total");

    private ShardMerge() {
    }

    /**
     * The comparison of {@code shards} read from {@code names} (for messages and the merged config).
     *
     * @throws IllegalArgumentException naming the file and what does not fit
     */
    public static CompareResult merge(List<CompareResult> shards, List<String> names) {
        CompareResult first = shards.get(0);
        List<RankedRow> rows = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<Integer> seen = new TreeSet<>();
        int count = shardOf(first, names.get(0))[1];
        int skipped = 0;
        boolean interrupted = false;
        String started = first.started();
        for (int i = 0; i < shards.size(); i++) {
            CompareResult s = shards.get(i);
            String name = names.get(i);
            int[] kn = shardOf(s, name);
            if (kn[1] != count || !seen.add(kn[0])) {
                throw new IllegalArgumentException("--merge " + name + ": shard " + kn[0] + "/" + kn[1]
                        + " does not fit shards of " + count + (kn[1] == count ? " (given twice)" : ""));
            }
            for (Map.Entry<String, Object> e : first.config().entrySet()) {
                if (!PER_SHARD.contains(e.getKey()) && !Objects.equals(e.getValue(), s.config().get(e.getKey()))) {
                    throw new IllegalArgumentException("--merge " + name + ": " + e.getKey() + " is "
                            + s.config().get(e.getKey()) + ", not " + e.getValue() + " as in " + names.get(0)
                            + ": not shards of one comparison");
                }
            }
            for (RankedRow r : s.rows()) {
                if (rows.stream().anyMatch(r::sameConfiguration)) {
                    throw new IllegalArgumentException("--merge " + name + ": " + r.label() + " " + r.workload() + " "
                            + r.cpus() + " CPUs is in an earlier file too");
                }
                rows.add(r);
            }
            s.hostWarnings().forEach(w -> warnings.add("shard " + kn[0] + "/" + kn[1] + ": " + w));
            skipped += s.skipped();
            interrupted |= s.interrupted();
            started = s.started().compareTo(started) < 0 ? s.started() : started;
        }
        for (int k = 1; k <= count; k++) {
            if (!seen.contains(k)) {
                warnings.add("shard " + k + "/" + count + " is missing: its configurations are not in this comparison");
            }
        }
        Map<String, Object> config = new LinkedHashMap<>(first.config());
        config.put("shard", "merged " + seen.size() + " of " + count);
        config.put("merged", List.copyOf(names));
        return CompareResult.of(started, interrupted, config, Ranking.of(rows), warnings, skipped);
    }

    /** {@code [K, N]} of a shard's {@code config.shard}. */
    private static int[] shardOf(CompareResult s, String name) {
        try {
            Shard sh = Shard.parse(String.valueOf(s.config().get("shard")));
            return new int[] {sh.index(), sh.count()};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--merge " + name + ": not the file of one shard (its shard is "
                    + s.config().get("shard") + ")", e);
        }
    }
}
