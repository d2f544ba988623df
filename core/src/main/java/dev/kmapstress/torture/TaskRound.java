package dev.kmapstress.torture;

import dev.kmapstress.machine.Task;

/**
 * One task of a worker and the round it is in: up to {@link TortureConfig#mapsPerRound()}
 * items taken in order of nesting, a hold, a verification of every mapping, and the releases
 * in reverse order. A round advances one step at a time, so a worker can switch
 * tasks or take an interrupt between any two steps.
 */
final class TaskRound {

    /** Phases of a round, in order. */
    static final int IDLE = 0;
    static final int MAP = 1;
    static final int HOLD = 2;
    static final int VERIFY = 3;
    static final int UNMAP = 4;

    /** The model's task; set once the worker has forked it (task 0 is the CPU's own). */
    volatile Task task;
    final Mapping[] maps;
    int count;
    int phase = IDLE;
    /** The mapping the MAP or UNMAP phase is at. */
    int next;

    TaskRound(int maxMaps) {
        this.maps = new Mapping[maxMaps];
        for (int i = 0; i < maxMaps; i++) {
            maps[i] = new Mapping();
        }
    }

    boolean idle() {
        return phase == IDLE;
    }

    /** Orders the planned mappings by nesting, stable, so outer kinds are taken first. */
    void sortByNesting() {
        for (int i = 1; i < count; i++) {
            Mapping m = maps[i];
            int j = i - 1;
            while (j >= 0 && maps[j].activity.nesting() > m.activity.nesting()) {
                maps[j + 1] = maps[j];
                j--;
            }
            maps[j + 1] = m;
        }
    }
}
