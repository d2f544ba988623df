package dev.kmapstress.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The order a comparison runs in: first one unrecorded warm-up per configuration, then
 * {@code rounds} blocks, each holding one round of every configuration in a shuffled order
 * (a randomized complete block design). A change in the host's load during the run so falls on
 * every configuration alike: no configuration's rounds can bunch up at a quiet or a busy end,
 * as a plain shuffle would allow, and no configuration always runs after the same neighbour.
 * The order follows from the seed alone and is recorded in the results.
 */
public final class RoundSchedule {

    /**
     * One run of the schedule.
     *
     * @param configuration index into the compared configurations
     * @param round         1..rounds, or 0 for the warm-up
     */
    public record Slot(int configuration, int round) {

        /** Whether it is the unrecorded warm-up. */
        public boolean warmup() {
            return round == 0;
        }
    }

    private final List<Slot> slots;

    private RoundSchedule(List<Slot> slots) {
        this.slots = List.copyOf(slots);
    }

    /** The schedule of {@code configurations} configurations measured in {@code rounds} rounds each. */
    public static RoundSchedule of(int configurations, int rounds, long seed) {
        if (configurations < 1 || rounds < 1) {
            throw new IllegalArgumentException("a schedule needs at least one configuration and one round, not "
                    + configurations + " and " + rounds);
        }
        Random random = new Random(seed);
        List<Slot> slots = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            List<Integer> order = new ArrayList<>(IntStream.range(0, configurations).boxed().toList());
            Collections.shuffle(order, random);
            for (int c : order) {
                slots.add(new Slot(c, round));
            }
        }
        return new RoundSchedule(slots);
    }

    /** Every run in order, the warm-ups first. */
    public List<Slot> slots() {
        return slots;
    }

    /** How many runs are recorded (all but the warm-ups). */
    public long recorded() {
        return slots.stream().filter(s -> !s.warmup()).count();
    }
}
