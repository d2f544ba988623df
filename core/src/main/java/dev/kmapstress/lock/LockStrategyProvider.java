package dev.kmapstress.lock;

import java.util.function.Supplier;

/**
 * Service interface for lock strategies: one implementation per algorithm, found by
 * {@link java.util.ServiceLoader} and registered under {@link #name()}.
 *
 * <p>To bring your own lock, implement this interface and {@link LockStrategy}, list the
 * provider's class name in {@code META-INF/services/dev.kmapstress.lock.LockStrategyProvider}
 * of your jar, and put the jar on the class path (with the {@code ./kmap-stress} launcher:
 * {@code KMAP_STRESS_CLASSPATH=my-lock.jar}): the CLI, the JCStress and Lincheck suites and
 * the JMH parameters find it by name. A provider needs a public no-argument constructor.
 */
public interface LockStrategyProvider {

    /** The short name users select the strategy by, e.g. {@code ticket}. */
    String name();

    /** One line: the algorithm and its known trade-off. */
    String description();

    /** Creates the strategy for one lock of a machine with {@code nrCpus} CPUs. */
    LockStrategy create(int nrCpus);

    /**
     * Creates the locks of one machine. By default each is made by {@link #create} on its own;
     * a strategy whose per-CPU state the kernel shares among all locks (qspinlock's queue
     * nodes) overrides this to share that state among the locks of the machine, and one that
     * behaves differently under a hypervisor (qspinlock's virt_spin_lock) reads it here.
     */
    default Supplier<LockStrategy> forMachine(LockPlatform platform) {
        return () -> create(platform.nrCpus());
    }

    /** Whether {@link LockStrategy#tryLock} is supported. */
    default boolean supportsTryLock() {
        return true;
    }

    /** Whether waiters are served in arrival order (FIFO), so hand-over order is observable. */
    default boolean fifo() {
        return false;
    }

    /**
     * Whether the strategy is deliberately broken (a negative control for the instruments, like
     * locktorture's {@code lock_busted}); broken strategies are left out of default comparisons.
     */
    default boolean broken() {
        return false;
    }
}
