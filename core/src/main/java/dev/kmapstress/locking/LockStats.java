package dev.kmapstress.locking;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.machine.Cpu;

/**
 * The statistics of one lock, kept only on machines built with {@code lock-statistics=true}:
 * acquisitions, contended acquisitions (the CPU had to wait: it spun or blocked at least once),
 * spins ({@link CpuContext#cpuRelax()} calls while waiting) and the longest wait (from the first
 * spin or block to the acquisition).
 *
 * <p>The holder updates them while it holds the lock, so they need no atomics and cost a lock
 * nothing but its own critical section; read them when the machine is quiet (after its CPUs'
 * threads have been joined) for exact values. Under a broken strategy they race like
 * everything else the lock should have protected. A machine without statistics has no
 * {@code LockStats} at all: its locks pay one null check.
 */
public final class LockStats {

    /** The counts at one moment. */
    public record Snapshot(long acquisitions, long contended, long spins, long longestWaitNanos) {
        /** Both together: counts added, the longer of the longest waits. */
        public Snapshot plus(Snapshot o) {
            return new Snapshot(acquisitions + o.acquisitions, contended + o.contended,
                    spins + o.spins, Math.max(longestWaitNanos, o.longestWaitNanos));
        }
    }

    /** What a lock strategy sees instead of the CPU while statistics are on: counts its waiting. */
    private static final class Probe implements CpuContext {
        private Cpu cpu;
        private int spins;
        private int blocks;
        private long firstWait;

        void begin(Cpu c) {
            cpu = c;
            spins = 0;
            blocks = 0;
        }

        private void waiting() {
            if (spins == 0 && blocks == 0) {
                firstWait = System.nanoTime();
            }
        }

        boolean waited() { return spins != 0 || blocks != 0; }

        @Override public int id() { return cpu.id(); }
        @Override public int nestingContext() { return cpu.nestingContext(); }

        @Override
        public void cpuRelax() {
            waiting();
            spins++;
            cpu.cpuRelax();
        }

        @Override
        public void blockingWaitBegin() {
            waiting();
            blocks++;
            cpu.blockingWaitBegin();
        }

        @Override
        public void blockingWaitEnd() {
            cpu.blockingWaitEnd();
        }
    }

    private final Probe[] probes;
    private long acquisitions;
    private long contended;
    private long spins;
    private long longestWaitNanos;

    LockStats(int nrCpus) {
        this.probes = new Probe[nrCpus];
        for (int i = 0; i < nrCpus; i++) {
            probes[i] = new Probe();
        }
    }

    /** Takes the lock through {@code strategy} for {@code cpu}, counting how it waited. */
    void lock(LockStrategy strategy, Cpu cpu) {
        Probe p = probes[cpu.id()];
        p.begin(cpu);
        strategy.lock(p);
        acquisitions++;
        if (p.waited()) {
            contended++;
            spins += p.spins;
            longestWaitNanos = Math.max(longestWaitNanos, System.nanoTime() - p.firstWait);
        }
    }

    /** Counts an acquisition by trylock (never a wait). */
    void trylocked() {
        acquisitions++;
    }

    public long acquisitions() { return acquisitions; }
    public long contended() { return contended; }
    public long spins() { return spins; }
    public long longestWaitNanos() { return longestWaitNanos; }

    /** The counts now (racy unless the machine is quiet). */
    public Snapshot snapshot() {
        return new Snapshot(acquisitions, contended, spins, longestWaitNanos);
    }
}
