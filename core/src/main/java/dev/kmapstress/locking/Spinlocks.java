package dev.kmapstress.locking;

import dev.kmapstress.lock.LockPlatform;
import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;
import dev.kmapstress.log.KernelLog;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Tracer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The spinlocks of one machine: every lock gets the machine's lock strategy (through the
 * provider's {@link LockStrategyProvider#forMachine per-machine factory}), and, if the machine
 * was built with them, its own {@link LockStats statistics} ({@code lock-statistics=true}) and
 * the machine's {@link Lockdep lock validator} ({@code lockdep=true}).
 */
public final class Spinlocks {

    private final LockStrategyProvider provider;
    private final Supplier<LockStrategy> factory;
    private final int nrCpus;
    private final boolean statistics;
    private final Lockdep lockdep;
    private final List<Spinlock> created = new ArrayList<>();
    private final Tracer tracer;

    /** The lock set of a machine of configuration {@code config}, reporting into {@code log}. */
    public Spinlocks(MachineConfig config, KernelLog log) {
        this(config, log, null);
    }

    /** The same, with every lock's acquisitions and releases reported to {@code tracer} (or null). */
    public Spinlocks(MachineConfig config, KernelLog log, Tracer tracer) {
        this.tracer = tracer;
        this.provider = LockRegistry.standard().get(config.lock());
        this.nrCpus = config.cpus();
        this.factory = provider.forMachine(new LockPlatform(nrCpus, config.hypervisor()));
        this.statistics = config.lockStatistics();
        this.lockdep = config.lockdep() ? new Lockdep(nrCpus, log) : null;
    }

    /** A new lock of the machine's strategy named {@code name} (its lockdep class is derived from it). */
    public Spinlock newSpinlock(String name) {
        LockStrategy strategy = factory.get();
        LockStats stats = statistics ? new LockStats(nrCpus) : null;
        synchronized (created) {
            Spinlock s = new Spinlock(name, created.size(), strategy, stats, lockdep, tracer);
            created.add(s);
            return s;
        }
    }

    /** The name of lock number {@code id}, in the order {@link #newSpinlock} made them. */
    public String name(int id) {
        synchronized (created) {
            return created.get(id).name();
        }
    }

    /** The strategy's provider. */
    public LockStrategyProvider provider() {
        return provider;
    }

    /** The machine's lock validator, or null if it has none. */
    public Lockdep lockdep() {
        return lockdep;
    }

    /**
     * The statistics summed per lock class (the name without indexes: all 128
     * page_address_htable buckets in one line), sorted by class; empty without statistics.
     */
    public Map<String, LockStats.Snapshot> statisticsByClass() {
        Map<String, LockStats.Snapshot> m = new TreeMap<>();
        synchronized (created) {
            for (Spinlock s : created) {
                if (s.stats() != null) {
                    m.merge(Lockdep.className(s.name()), s.stats().snapshot(), LockStats.Snapshot::plus);
                }
            }
        }
        return m;
    }
}
