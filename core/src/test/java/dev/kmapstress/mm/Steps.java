package dev.kmapstress.mm;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.Tracer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tracer that keeps, per CPU, the shown steps in the order that CPU made them (lock and
 * unlock, counts, PTEs, page addresses, flushes, queue edits, sleeps): what a kernel function
 * did, step by step, as ftrace would list it. Steps of one CPU are in program order whatever
 * the other CPUs do, so a test can compare them exactly.
 */
public final class Steps implements Tracer {

    private final Map<Integer, List<String>> byCpu = new ConcurrentHashMap<>();

    @Override
    public void trace(Cpu cpu, Tracepoint point, Object subject, String text) {
        if (point.shown()) {
            byCpu.computeIfAbsent(cpu.id(), id -> new CopyOnWriteArrayList<>()).add(text);
        }
    }

    /** The steps CPU {@code cpu} made since the last {@link #clear}. */
    public List<String> of(int cpu) {
        return List.copyOf(byCpu.getOrDefault(cpu, List.of()));
    }

    /** Forgets every step, so the next ones are those of the call under test. */
    public void clear() {
        byCpu.clear();
    }
}
