package dev.kmapstress.torture;

import java.util.ArrayList;
import java.util.List;

/**
 * The operations a torture run counts and times, named after the kernel functions
 * ({@code kmap}, {@code kunmap}, {@code kmap_flush_unused}, ...), fixed when the run starts so
 * that per-operation counters are plain arrays indexed by {@link #index}.
 */
final class OpSet {

    private final List<String> names = new ArrayList<>();

    /** Adds {@code name} if missing and returns its index. */
    int add(String name) {
        int i = names.indexOf(name);
        if (i >= 0) {
            return i;
        }
        names.add(name);
        return names.size() - 1;
    }

    /** The index of {@code name}. */
    int index(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("operation " + name + " is not counted in this run");
        }
        return i;
    }

    /** The index of {@code name}, or -1 if the run does not count it. */
    int indexOrNone(String name) {
        return names.indexOf(name);
    }

    int size() {
        return names.size();
    }

    String name(int i) {
        return names.get(i);
    }

    List<String> names() {
        return List.copyOf(names);
    }
}
