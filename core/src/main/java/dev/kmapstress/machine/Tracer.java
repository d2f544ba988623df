package dev.kmapstress.machine;

/**
 * An optional observer of a machine's internal steps (locks taken and released, count and PTE
 * changes, flushes, IPIs, sleeps and wake-ups), given to the machine when it is built
 * ({@code Machine.build(config, tracer)}). Without one (the default) every tracepoint costs one
 * test of a final field against null and builds no string.
 *
 * <p>{@link #trace} is called synchronously on the thread running {@code cpu}, at the point the
 * kernel function reaches, so an implementation may hold that CPU there (a scenario runner does,
 * to replay an interleaving step by step). It must not call back into the model for that CPU,
 * except {@link Cpu#goIdle()} and {@link Cpu#resume()} around a hold.
 */
@FunctionalInterface
public interface Tracer {

    /**
     * One internal step of {@code cpu}.
     *
     * @param point   what kind of step
     * @param subject what {@code point} says it is about (see {@link Tracepoint}), or null
     * @param text    the step in the kernel's words, e.g. {@code spin_lock kmap_lock}
     */
    void trace(Cpu cpu, Tracepoint point, Object subject, String text);
}
