package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;

/**
 * The MCS queue lock (Mellor-Crummey and Scott): a CPU swaps its own queue node into the tail,
 * links it behind its predecessor and spins on its own node until the predecessor hands the
 * lock over. FIFO and local spinning (one line per waiter); the holder must keep its node until
 * unlock, and unlock may have to wait for a successor that has swapped the tail but not yet
 * linked itself.
 *
 * <p>Algorithmic notes. Nodes are preallocated, one per CPU and nesting context (the holder
 * finds its node again at unlock from the same pair), each on its own padded line with two
 * words: {@code locked} (1 while waiting) and {@code next} (successor's node + 1, 0 for none).
 * {@code tail} holds the last node + 1, 0 when free. The tail swap is acquire-release: release
 * publishes our node's initialisation, acquire sees the predecessor's. {@code next} is written
 * with release and read with acquire, so the predecessor's hand-over store comes after our
 * initialisation; {@code locked} is handed over with a release store read with acquire, which
 * orders the critical sections.
 */
public final class McsLock implements LockStrategy {

    /** Registers the strategy as {@code mcs}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "mcs"; }
        @Override public String description() {
            return "MCS queue lock: FIFO, local spinning; unlock may wait for the successor to link";
        }
        @Override public LockStrategy create(int nrCpus) { return new McsLock(nrCpus); }
        @Override public boolean fifo() { return true; }
    }

    private static final int CONTEXTS = 4;
    private static final int TAIL = Padded.at(0, 0);
    private static final int LOCKED = 0;
    private static final int NEXT = 1;

    private final int[] words;

    McsLock(int nrCpus) {
        this.words = Padded.lines(1 + nrCpus * CONTEXTS);
    }

    private static int node(CpuContext cpu) {
        return cpu.id() * CONTEXTS + cpu.nestingContext();
    }

    private static int word(int node, int word) {
        return Padded.at(1 + node, word);
    }

    @Override
    public void lock(CpuContext cpu) {
        int me = node(cpu);
        INT.set(words, word(me, NEXT), 0);
        INT.set(words, word(me, LOCKED), 1);
        int pred = (int) INT.getAndSet(words, TAIL, me + 1);
        if (pred == 0) {
            return;
        }
        INT.setRelease(words, word(pred - 1, NEXT), me + 1);
        while ((int) INT.getAcquire(words, word(me, LOCKED)) != 0) {
            cpu.cpuRelax();
        }
    }

    @Override
    public void unlock(CpuContext cpu) {
        int me = node(cpu);
        int next = (int) INT.getAcquire(words, word(me, NEXT));
        if (next == 0) {
            if (INT.compareAndSet(words, TAIL, me + 1, 0)) {
                return;
            }
            // A successor swapped the tail but has not linked itself yet.
            while ((next = (int) INT.getAcquire(words, word(me, NEXT))) == 0) {
                cpu.cpuRelax();
            }
        }
        INT.setRelease(words, word(next - 1, LOCKED), 0);
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        int me = node(cpu);
        INT.set(words, word(me, NEXT), 0);
        return INT.compareAndSet(words, TAIL, 0, me + 1);
    }
}
