package dev.kmapstress.compare;

import dev.kmapstress.machine.KernelOp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rows ranked where ranking means something: within a comparison group, one workload at one
 * CPU count (a lock's rank at 1 CPU says nothing about 4). Each group's passing rows with
 * enough rounds for a {@link MedianInterval#LEVEL 95 %} interval get their
 * {@link RankGroups rank groups} by throughput relative to their blocks ({@link BlockRelative};
 * by the rounds' throughput itself where too few blocks are complete for such an interval) and
 * are listed best first; then, unranked, the passing rows with fewer rounds (a total spent, a
 * run cut short, {@code --rounds} below 6), then the failed ones. Each group gets its
 * {@link SplitHalf split-half check} on the ranked rows' figures. All of it follows from the rows' rounds, so merged shards are
 * ranked exactly as a whole run would be.
 */
public final class Ranking {

    private Ranking() {
    }

    /**
     * One comparison group.
     *
     * @param splitHalfSpearman the split-half rank correlation of its ranked rows (null where it
     *                          cannot be computed: fewer than 3 of them)
     * @param blocks            the complete blocks the ranks stand on ('vs block'), 0 when they
     *                          stand on each row's own rounds
     */
    public record Group(String workload, int cpus, List<RankedRow> rows, Double splitHalfSpearman, int blocks) {

        public Group {
            rows = List.copyOf(rows);
        }

        /** The operation whose latency the rows' p99 is (kmap, persistent kmaps', in a group without rows). */
        public String latencyOp() {
            return rows.isEmpty() ? KernelOp.KMAP.word() : rows.get(0).latencyOp();
        }

        /** The split-half check. */
        public SplitHalf splitHalf() {
            return new SplitHalf(splitHalfSpearman == null ? Double.NaN : splitHalfSpearman,
                    (int) rows.stream().filter(RankedRow::rankable).count());
        }

        /** How many values each interval a rank stands on has: the blocks, or each ranked row's rounds. */
        public List<Integer> rankedOn() {
            return blocks > 0 ? List.of(blocks)
                    : rows.stream().filter(RankedRow::rankable).map(r -> r.rounds().size()).toList();
        }

        /**
         * The rows that may be the fastest: ranked, with a rank group that includes 1; none while
         * a row that passed is unranked, since it was compared with nothing and may be faster.
         */
        public List<RankedRow> best() {
            if (unrankedPassed() > 0) {
                return List.of();
            }
            return rows.stream().filter(r -> r.rankable() && RankGroups.best(r.rank()) == 1).toList();
        }

        /** How many rows passed without the rounds to be ranked. */
        public long unrankedPassed() {
            return rows.stream().filter(r -> r.success() && !r.rankable()).count();
        }
    }

    /** The rows in their groups (in the order the groups first appear), ranked. */
    public static List<Group> of(List<RankedRow> rows) {
        Map<String, List<RankedRow>> byGroup = new LinkedHashMap<>();
        for (RankedRow r : rows) {
            byGroup.computeIfAbsent(r.workload() + "\u0000" + r.cpus(), k -> new ArrayList<>()).add(r);
        }
        List<Group> groups = new ArrayList<>();
        for (List<RankedRow> g : byGroup.values()) {
            groups.add(rank(g));
        }
        return groups;
    }

    private static Group rank(List<RankedRow> rows) {
        List<RankedRow> passing = rows.stream().filter(RankedRow::rankable).toList();
        // Blocks among the ranked rows only: a row short of rounds would leave few of them complete.
        List<double[]> relative = BlockRelative.of(passing.stream().map(RankedRow::rounds).toList());
        boolean byBlocks = !relative.isEmpty() && MedianInterval.reachesLevel(relative.get(0).length);
        List<RankedRow> ranked = new ArrayList<>();
        for (int i = 0; i < passing.size(); i++) {
            RankedRow r = passing.get(i);
            ranked.add(r.ranked(RankedRow.UNRANKED, byBlocks ? MedianInterval.of(relative.get(i)) : null));
        }
        ranked.sort(Comparator.comparingDouble((RankedRow r) -> standing(r).median()).reversed());
        List<String> ranks = RankGroups.of(ranked.stream().map(Ranking::standing).toList());
        for (int i = 0; i < ranked.size(); i++) {
            ranked.set(i, ranked.get(i).ranked(ranks.get(i), ranked.get(i).relative()));
        }
        rows.stream().filter(r -> !r.rankable()).sorted(Comparator.comparing((RankedRow r) -> !r.success()))
                .map(r -> r.ranked(RankedRow.UNRANKED, null)).forEach(ranked::add);
        SplitHalf s = SplitHalf.of(byBlocks ? relative
                : passing.stream().map(r -> r.rounds().stream().mapToDouble(Round::mapsPerSecond).toArray()).toList());
        RankedRow first = rows.get(0);
        return new Group(first.workload(), first.cpus(), ranked, Double.isNaN(s.spearman()) ? null : s.spearman(),
                byBlocks ? relative.get(0).length : 0);
    }

    /** What a row's rank stands on: its throughput relative to its blocks where it has it, else its rounds'. */
    private static MedianInterval standing(RankedRow r) {
        return r.relative() != null ? r.relative() : r.mapsPerSecond();
    }

    /** Every group's rows, group after group, as a results file lists them. */
    public static List<RankedRow> rows(List<Group> groups) {
        return groups.stream().flatMap(g -> g.rows().stream()).toList();
    }

    /**
     * The comparison's split-half correlation: the lowest of its groups' (the least stable
     * ranking is the one to act on), null if no group could be checked.
     */
    public static Double splitHalf(List<Group> groups) {
        return groups.stream().map(Group::splitHalfSpearman).filter(Objects::nonNull).min(Double::compare)
                .orElse(null);
    }
}
