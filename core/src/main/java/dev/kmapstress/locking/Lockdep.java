package dev.kmapstress.locking;

import dev.kmapstress.log.KernelLog;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A small lock validator after the kernel's lockdep (kernel/locking/lockdep.c), for machines
 * built with {@code lockdep=true} (off by default). It works on lock classes, not locks: the
 * class of a lock is its name without indexes ({@code page_address_htable[5].lock} is of class
 * {@code page_address_htable.lock}), as the kernel gives all locks initialised at one place one
 * class. It reports, in the kernel's words, into the machine's log as
 * {@link dev.kmapstress.log.ReportKind#LOCKDEP}:
 * <ul>
 * <li>{@code possible circular locking dependency detected}: taking B while holding A when
 *     some CPU, at some time, took A (perhaps through other classes) while holding B;</li>
 * <li>{@code inconsistent lock state}: a class taken in hard-IRQ context that is elsewhere
 *     taken with IRQs enabled, in either order ({@code {HARDIRQ-ON-W} -> {IN-HARDIRQ-W}});</li>
 * <li>{@code possible recursive locking detected}: a class taken while one of its locks is
 *     held;</li>
 * <li>{@code bad unlock balance detected}: a release of a lock the CPU does not hold;</li>
 * <li>and, like the kernel, turns itself off after the first report and when its tables
 *     ({@link #MAX_LOCK_DEPTH}, {@link #MAX_LOCKDEP_KEYS}) are full.</li>
 * </ul>
 * What is left out: read locks, soft-IRQ states (the model has no soft-IRQs, so the usage
 * columns for them print '.'), the irq-safe → irq-unsafe dependency check, and usage marks made
 * when IRQs are re-enabled with a lock held (marks are made at acquisition only).
 *
 * <p>Algorithmic notes. Each CPU keeps a stack of held locks (only its thread touches it; the
 * kernel keeps it per task, and the model's tasks do not migrate while holding spinlocks), with
 * the nesting context each was taken in. Taking a lock adds a dependency edge from the held
 * locks directly before it in the same context (the top one, and those below it while they were
 * trylocks, as check_prevs_add does). Edges and usage bits are read without a lock on the fast
 * path (a known edge or usage costs one volatile read); new ones are checked and added under
 * this object's monitor, the kernel's graph lock, with a breadth-first search for a path back.
 */
public final class Lockdep {

    /** Held locks per CPU before the validator gives up (the kernel's MAX_LOCK_DEPTH). */
    public static final int MAX_LOCK_DEPTH = 48;
    /** Lock classes a machine may have (the kernel allows 8192). */
    public static final int MAX_LOCKDEP_KEYS = 64;

    static final int USED_IN_HARDIRQ = 1;
    static final int ENABLED_HARDIRQ = 2;

    /** The held locks of one CPU, in acquisition order. */
    static final class HeldLocks {
        final Spinlock[] lock = new Spinlock[MAX_LOCK_DEPTH];
        final boolean[] trylock = new boolean[MAX_LOCK_DEPTH];
        final int[] irqContext = new int[MAX_LOCK_DEPTH];
        int depth;
    }

    private final KernelLog log;
    private final HeldLocks[] held;
    private final AtomicBoolean debugLocks = new AtomicBoolean(true);
    /** Bit j of after[i]: class j was taken while class i was held. */
    private final AtomicLongArray after = new AtomicLongArray(MAX_LOCKDEP_KEYS);
    private final AtomicIntegerArray usage = new AtomicIntegerArray(MAX_LOCKDEP_KEYS);
    // Guarded by this.
    private final List<String> classNames = new ArrayList<>();
    private final Map<Integer, List<String>> edgeTraces = new HashMap<>();
    private final Map<Integer, List<String>> usageTraces = new HashMap<>();

    public Lockdep(int nrCpus, KernelLog log) {
        this.log = log;
        this.held = new HeldLocks[nrCpus];
        for (int i = 0; i < nrCpus; i++) {
            held[i] = new HeldLocks();
        }
    }

    /** The class of a lock named {@code lockName}: the name without its {@code [n]} indexes. */
    public static String className(String lockName) {
        return lockName.replaceAll("\\[\\d+]", "");
    }

    /** Whether the validator still runs (the kernel's debug_locks). */
    public boolean enabled() {
        return debugLocks.get();
    }

    /** The id of the class of a lock named {@code lockName}, registering it; -1 once off. */
    synchronized int registerClass(String lockName) {
        String name = className(lockName);
        int id = classNames.indexOf(name);
        if (id >= 0) {
            return id;
        }
        if (classNames.size() == MAX_LOCKDEP_KEYS) {
            if (debugLocks.compareAndSet(true, false)) {
                log.report(ReportKind.LOCKDEP, -1, List.of(
                        "BUG: MAX_LOCKDEP_KEYS too low!",
                        "turning off the locking correctness validator."));
            }
            return -1;
        }
        classNames.add(name);
        return classNames.size() - 1;
    }

    /** Models {@code lock_acquire()}: called before the lock is taken (after, for a trylock). */
    void acquire(Cpu cpu, Spinlock lock, boolean trylock) {
        if (!debugLocks.get()) {
            return;
        }
        HeldLocks h = held[cpu.id()];
        if (h.depth == MAX_LOCK_DEPTH) {
            depthOverflow(cpu, h);
            return;
        }
        if (!markUsage(cpu, h, lock, trylock)) {
            return;
        }
        if (!trylock && (!checkDeadlock(cpu, h, lock) || !checkPrevsAdd(cpu, h, lock))) {
            return;
        }
        int d = h.depth;
        h.lock[d] = lock;
        h.trylock[d] = trylock;
        h.irqContext[d] = cpu.nestingContext();
        h.depth = d + 1;
    }

    /** Models {@code lock_release()}: called before the lock is released. */
    void release(Cpu cpu, Spinlock lock) {
        if (!debugLocks.get()) {
            return;
        }
        HeldLocks h = held[cpu.id()];
        for (int i = h.depth - 1; i >= 0; i--) {
            if (h.lock[i] == lock) {
                int moved = h.depth - 1 - i;
                System.arraycopy(h.lock, i + 1, h.lock, i, moved);
                System.arraycopy(h.trylock, i + 1, h.trylock, i, moved);
                System.arraycopy(h.irqContext, i + 1, h.irqContext, i, moved);
                h.lock[--h.depth] = null;
                return;
            }
        }
        if (debugLocks.compareAndSet(true, false)) {
            report(cpu, reports(h).unlockImbalance(cpu, lock));
        }
    }

    // ------------------------------------------------------------ IRQ usage

    private boolean markUsage(Cpu cpu, HeldLocks h, Spinlock lock, boolean trylock) {
        // Trylocks cannot deadlock against an interrupt, so only real waits count as IRQ use.
        if (!trylock && cpu.inHardirq() && !markLock(cpu, h, lock, USED_IN_HARDIRQ)) {
            return false;
        }
        return cpu.irqsDisabled() || markLock(cpu, h, lock, ENABLED_HARDIRQ);
    }

    /** Models {@code mark_lock()} with its {@code valid_state()} check. */
    private boolean markLock(Cpu cpu, HeldLocks h, Spinlock lock, int bit) {
        int cls = lock.lockClass();
        if ((usage.get(cls) & bit) != 0) {
            return true;
        }
        int bad = bit == USED_IN_HARDIRQ ? ENABLED_HARDIRQ : USED_IN_HARDIRQ;
        List<String> lines;
        synchronized (this) {
            // Marked even when it conflicts, as the kernel does: the report shows both uses.
            int u = usage.get(cls);
            usage.set(cls, u | bit);
            usageTraces.putIfAbsent(usageKey(cls, bit), LockdepReports.trace());
            if ((u & bad) == 0) {
                return true;
            }
            if (!debugLocks.compareAndSet(true, false)) {
                return false;
            }
            lines = reports(h).usageBug(cpu, lock, bad, bit, usageTraces.get(usageKey(cls, bad)));
        }
        report(cpu, lines);
        return false;
    }

    private static int usageKey(int cls, int bit) {
        return cls * 2 + Integer.numberOfTrailingZeros(bit);
    }

    // ------------------------------------------------------------ dependencies

    /** Models {@code check_deadlock()}: the class of the new lock must not be held already. */
    private boolean checkDeadlock(Cpu cpu, HeldLocks h, Spinlock next) {
        for (int i = 0; i < h.depth; i++) {
            if (h.lock[i].lockClass() == next.lockClass()) {
                if (debugLocks.compareAndSet(true, false)) {
                    report(cpu, reports(h).recursive(cpu, h.lock[i], next));
                }
                return false;
            }
        }
        return true;
    }

    /**
     * Models {@code check_prevs_add()}: edges from the top held lock of the same context, and
     * from those below it as long as the ones above were trylocks.
     */
    private boolean checkPrevsAdd(Cpu cpu, HeldLocks h, Spinlock next) {
        int ctx = cpu.nestingContext();
        for (int d = h.depth - 1; d >= 0 && h.irqContext[d] == ctx; d--) {
            if (!checkPrevAdd(cpu, h, h.lock[d], next)) {
                return false;
            }
            if (!h.trylock[d]) {
                break;
            }
        }
        return true;
    }

    /** Models {@code check_prev_add()}: adds prev → next unless next already leads to prev. */
    private boolean checkPrevAdd(Cpu cpu, HeldLocks h, Spinlock prev, Spinlock next) {
        int from = prev.lockClass();
        int to = next.lockClass();
        if ((after.get(from) & 1L << to) != 0) {
            return true;
        }
        List<String> lines;
        synchronized (this) {
            int[] path = path(to, from);
            if (path == null) {
                after.set(from, after.get(from) | 1L << to);
                edgeTraces.put(from * MAX_LOCKDEP_KEYS + to, LockdepReports.trace());
                return true;
            }
            if (!debugLocks.compareAndSet(true, false)) {
                return false;
            }
            List<List<String>> traces = new ArrayList<>();
            for (int i = 1; i < path.length; i++) {
                traces.add(edgeTraces.get(path[i - 1] * MAX_LOCKDEP_KEYS + path[i]));
            }
            lines = reports(h).circular(cpu, next, prev, path, traces);
        }
        report(cpu, lines);
        return false;
    }

    /** A shortest chain of dependencies from class {@code src} to {@code target}, or null. */
    private int[] path(int src, int target) {
        int[] parent = new int[MAX_LOCKDEP_KEYS];
        Arrays.fill(parent, -1);
        int[] queue = new int[MAX_LOCKDEP_KEYS];
        int head = 0;
        int tail = 0;
        queue[tail++] = src;
        parent[src] = src;
        while (head < tail) {
            int c = queue[head++];
            if (c == target) {
                List<Integer> chain = new ArrayList<>();
                for (int x = c; x != src; x = parent[x]) {
                    chain.add(0, x);
                }
                chain.add(0, src);
                return chain.stream().mapToInt(Integer::intValue).toArray();
            }
            for (long bits = after.get(c); bits != 0; bits &= bits - 1) {
                int n = Long.numberOfTrailingZeros(bits);
                if (parent[n] < 0) {
                    parent[n] = c;
                    queue[tail++] = n;
                }
            }
        }
        return null;
    }

    private void depthOverflow(Cpu cpu, HeldLocks h) {
        if (debugLocks.compareAndSet(true, false)) {
            List<String> lines = new ArrayList<>(List.of("BUG: MAX_LOCK_DEPTH too low!",
                    "turning off the locking correctness validator.",
                    "depth: " + h.depth + "  max: " + MAX_LOCK_DEPTH + "!"));
            lines.addAll(reports(h).heldLocks(cpu));
            report(cpu, lines);
        }
    }

    // ------------------------------------------------------------ inspection and reports

    /** Whether class {@code later} was ever taken right under class {@code earlier}. */
    public synchronized boolean dependsOn(String earlier, String later) {
        int a = classNames.indexOf(earlier);
        int b = classNames.indexOf(later);
        return a >= 0 && b >= 0 && (after.get(a) & 1L << b) != 0;
    }

    /** The kernel's usage column of a class, e.g. {@code {+...}}, or null if unknown. */
    public synchronized String usage(String className) {
        int id = classNames.indexOf(className);
        return id < 0 ? null : usageChars(id);
    }

    String usageChars(int cls) {
        int u = usage.get(cls);
        char c = (u & ENABLED_HARDIRQ) != 0 ? ((u & USED_IN_HARDIRQ) != 0 ? '?' : '+')
                : (u & USED_IN_HARDIRQ) != 0 ? '-' : '.';
        return "{" + c + "...}";
    }

    synchronized String nameOf(int cls) {
        return classNames.get(cls);
    }

    private LockdepReports reports(HeldLocks h) {
        return new LockdepReports(this, h);
    }

    private void report(Cpu cpu, List<String> lines) {
        log.report(ReportKind.LOCKDEP, cpu.id(), lines);
    }
}
