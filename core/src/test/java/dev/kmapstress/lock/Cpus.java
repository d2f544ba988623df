package dev.kmapstress.lock;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Machine;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Test threads: a body run as a CPU of a machine, and waiting for a condition by spinning. */
public final class Cpus {

    private Cpus() {
    }

    /** Starts a thread running {@code body} as CPU {@code n}; what it throws goes to {@code errors}. */
    public static Thread start(Machine m, int n, List<Throwable> errors, Consumer<Cpu> body) {
        Thread t = new Thread(() -> {
            try (Cpu.Scope s = m.cpu(n).enter()) {
                body.accept(s.cpu());
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "cpu" + n);
        t.start();
        return t;
    }

    /** Spins until {@code condition} holds; the test's timeout bounds it. */
    public static void await(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            Thread.onSpinWait();
        }
    }
}
