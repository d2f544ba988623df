package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;

/**
 * The CLH queue lock (Craig, Landin and Hagersten): a CPU marks its node busy, swaps it into
 * the tail and spins on its predecessor's node until that one is released. FIFO, one swap per
 * acquisition and a plain store to release; waiters spin on the predecessor's line, and nodes
 * migrate: after unlock a CPU keeps its predecessor's node for next time. No trylock: a CPU
 * could only take the lock by swapping in behind a released tail node, and a recycled node can
 * be the tail again (ABA), so the attempt cannot be made safe without waiting; LiTL leaves CLH's
 * trylock out for the same reason.
 *
 * <p>Algorithmic notes. There are {@code nrCpus * 4 + 1} nodes (one per CPU and nesting context
 * plus the initial released tail), each a {@code locked} word on its own padded line. Each
 * (CPU, context) pair keeps, on its own line, the node it will enqueue ({@code MY_NODE}) and,
 * while it holds the lock, its predecessor ({@code MY_PRED}); only that pair's thread touches
 * them. The swap is acquire-release (it publishes {@code locked = 1} and reads the predecessor's
 * node), the release store of {@code locked = 0} pairs with the successor's acquire read.
 */
public final class ClhLock implements LockStrategy {

    /** Registers the strategy as {@code clh}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "clh"; }
        @Override public String description() {
            return "CLH queue lock: FIFO, waiters spin on the predecessor's node; no trylock";
        }
        @Override public LockStrategy create(int nrCpus) { return new ClhLock(nrCpus); }
        @Override public boolean supportsTryLock() { return false; }
        @Override public boolean fifo() { return true; }
    }

    private static final int CONTEXTS = 4;
    private static final int TAIL = Padded.at(0, 0);
    private static final int LOCKED = 0;
    private static final int MY_NODE = 1;
    private static final int MY_PRED = 2;

    private final int owners;
    private final int[] words;

    ClhLock(int nrCpus) {
        this.owners = nrCpus * CONTEXTS;
        // Lines: tail, the owners' bookkeeping, then the nodes.
        this.words = Padded.lines(1 + owners + owners + 1);
        for (int k = 0; k < owners; k++) {
            words[owner(k, MY_NODE)] = k;
        }
        words[TAIL] = owners;
    }

    private int owner(int k, int word) {
        return Padded.at(1 + k, word);
    }

    private int locked(int node) {
        return Padded.at(1 + owners + node, LOCKED);
    }

    private static int ownerOf(CpuContext cpu) {
        return cpu.id() * CONTEXTS + cpu.nestingContext();
    }

    @Override
    public void lock(CpuContext cpu) {
        int k = ownerOf(cpu);
        int node = (int) INT.get(words, owner(k, MY_NODE));
        INT.set(words, locked(node), 1);
        int pred = (int) INT.getAndSet(words, TAIL, node);
        while ((int) INT.getAcquire(words, locked(pred)) != 0) {
            cpu.cpuRelax();
        }
        INT.set(words, owner(k, MY_PRED), pred);
    }

    @Override
    public void unlock(CpuContext cpu) {
        int k = ownerOf(cpu);
        int node = (int) INT.get(words, owner(k, MY_NODE));
        INT.set(words, owner(k, MY_NODE), (int) INT.get(words, owner(k, MY_PRED)));
        INT.setRelease(words, locked(node), 0);
    }

    /** The hand-over is a store to the holder's node: nothing to wait for. */
    @Override
    public boolean unlockWaits() {
        return false;
    }

    /** @throws UnsupportedOperationException always: see the class comment */
    @Override
    public boolean tryLock(CpuContext cpu) {
        throw new UnsupportedOperationException("lock strategy clh has no trylock: a CPU"
                + " cannot abandon its place in a CLH queue once it has swapped itself in");
    }
}
