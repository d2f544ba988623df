package dev.kmapstress.torture;

import dev.kmapstress.machine.KernelOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations a torture run counts and times ({@code kmap}, {@code kunmap},
 * {@code kmap_flush_unused}, ...), fixed when the run starts so that per-operation counters
 * are plain arrays indexed by {@link #index}.
 */
final class OpSet {

    private final List<CountedOp> ops = new ArrayList<>();

    /** Adds {@code op} if missing. */
    void add(CountedOp op) {
        if (!ops.contains(op)) {
            ops.add(op);
        }
    }

    /** The index of {@code op}. */
    int index(CountedOp op) {
        int i = ops.indexOf(op);
        if (i < 0) {
            throw new IllegalArgumentException("operation " + op.name() + " is not counted in this run");
        }
        return i;
    }

    /** The index of a worker task's {@code op}. */
    int index(KernelOp op) {
        return index(CountedOp.task(op));
    }

    /** The index of a worker task's {@code op}, or -1 if the run does not count it. */
    int indexOrNone(KernelOp op) {
        return ops.indexOf(CountedOp.task(op));
    }

    int size() {
        return ops.size();
    }

    /** The kernel function counted at {@code i}. */
    KernelOp op(int i) {
        return ops.get(i).op();
    }

    String name(int i) {
        return ops.get(i).name();
    }
}
