package dev.kmapstress.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * One of {@code count} slices of a comparison, for running the slices on different machines
 * ({@code --shard K/N}): slice K takes every N-th unit starting with the K-th, where a unit is
 * a whole comparison group (one workload at one CPU count, all its lock configurations, all
 * their rounds) whenever there are at least N groups, so that every rank still compares
 * configurations measured on the same machine, interleaved; with fewer groups than shards a
 * unit is one configuration. The slices are disjoint and together hold everything, and follow
 * from K, N and the order of the configurations alone, so every machine computes the same ones.
 *
 * @param index 1..count
 * @param count how many slices
 */
public record Shard(int index, int count) {

    /** The whole comparison, unsliced. */
    public static final Shard WHOLE = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("must be K/N with 1 <= K <= N, e.g. 1/4");
        }
    }

    /** Parses {@code K/N}; a refusal says only what is allowed ({@link CompareSettings#SHARD} names the option). */
    public static Shard parse(String spec) {
        String[] parts = spec.trim().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("must be K/N (slice K of N), e.g. 1/4");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("K and N must be whole numbers, e.g. 1/4", e);
        }
    }

    /**
     * This slice of {@code groups} (each a list of configurations, in a fixed order), flattened:
     * whole groups if there are at least {@link #count()} of them, else single configurations.
     */
    public <T> List<T> select(List<List<T>> groups) {
        List<T> mine = new ArrayList<>();
        if (groups.size() >= count) {
            for (int g = index - 1; g < groups.size(); g += count) {
                mine.addAll(groups.get(g));
            }
            return mine;
        }
        List<T> all = groups.stream().flatMap(List::stream).toList();
        for (int i = index - 1; i < all.size(); i += count) {
            mine.add(all.get(i));
        }
        return mine;
    }

    /** Whether some group may be split over several shards (fewer groups than shards). */
    public boolean splitsGroups(int groups) {
        return count > 1 && groups < count;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
