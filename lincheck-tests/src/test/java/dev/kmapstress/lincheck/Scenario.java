package dev.kmapstress.lincheck;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * A hand-written Lincheck scenario, built from Java: the shape a reviewer would try first for a
 * known race. Lincheck runs custom scenarios before its random ones, in both modes, and model
 * checking explores their interleavings.
 *
 * <pre>{@code
 * Scenario.of(PkmapApiTest.class)
 *     .init("kmap", 0, 0).init("kunmap", 0)
 *     .thread(1, "kmap", 1, 0)
 *     .thread(2, "kmapFlushUnused", 2)
 *     .build();
 * }</pre>
 * Arguments are given as the operation takes them, the Lincheck thread id included (0 for the
 * initial part, 1..T for the parallel threads, T+1 for the post part), since a custom scenario
 * does not run the parameter generators.
 */
final class Scenario {

    private final Class<?> test;
    private final List<Actor> init = new ArrayList<>();
    private final List<List<Actor>> threads = new ArrayList<>();
    private final List<Actor> post = new ArrayList<>();

    private Scenario(Class<?> test) {
        this.test = test;
    }

    /** A scenario of {@code test}'s operations. */
    static Scenario of(Class<?> test) {
        return new Scenario(test);
    }

    /** Appends an operation to the initial part. */
    Scenario init(String operation, Object... args) {
        init.add(actor(operation, args));
        return this;
    }

    /** Appends an operation to parallel thread {@code thread} (1-based, as Lincheck numbers them). */
    Scenario thread(int thread, String operation, Object... args) {
        while (threads.size() < thread) {
            threads.add(new ArrayList<>());
        }
        threads.get(thread - 1).add(actor(operation, args));
        return this;
    }

    /** Appends an operation to the post part. */
    Scenario post(String operation, Object... args) {
        post.add(actor(operation, args));
        return this;
    }

    ExecutionScenario build() {
        return new ExecutionScenario(init, threads, post, null);
    }

    private Actor actor(String operation, Object[] args) {
        for (Method m : test.getMethods()) {
            Operation op = m.getAnnotation(Operation.class);
            if (op != null && m.getName().equals(operation) && m.getParameterCount() == args.length) {
                return new Actor(m, Arrays.asList(args), false, op.blocking(), false, false, false);
            }
        }
        throw new IllegalArgumentException(test.getSimpleName() + " has no @Operation " + operation
                + " taking " + args.length + " arguments");
    }
}
