package dev.kmapstress.locking;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The text of {@link Lockdep}'s reports, laid out as kernel/locking/lockdep.c prints them. Where
 * the kernel prints a lock's address, we print the lock's own name; where it prints a code
 * address or a saved stack, the Java frames of the model (outside this package).
 */
final class LockdepReports {

    private static final String IDENT = "6.1.0-kmap-stress #1 Not tainted";
    /** A spinlock_t's wait types (LD_WAIT_CONFIG inner and outer) without PREEMPT_RT. */
    private static final String WAIT_TYPES = "-{2:2}";
    private static final int TRACE_FRAMES = 8;
    /** Classes whose frames a trace leaves out: the wrappers and the validator itself. */
    private static final Set<String> VALIDATOR = Set.of(Spinlock.class.getName(),
            Lockdep.class.getName(), LockdepReports.class.getName());

    private final Lockdep lockdep;
    private final Lockdep.HeldLocks held;

    LockdepReports(Lockdep lockdep, Lockdep.HeldLocks held) {
        this.lockdep = lockdep;
        this.held = held;
    }

    /** The model's frames that led here, innermost first, without the validator's own. */
    static List<String> trace() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !VALIDATOR.contains(f.getClassName()))
                .limit(TRACE_FRAMES)
                .map(f -> "       " + f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1)
                        + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                .collect(Collectors.toList()));
    }

    /** Models {@code print_circular_bug()}: path runs from next's class to prev's. */
    List<String> circular(Cpu cpu, Spinlock next, Spinlock prev, int[] path, List<List<String>> traces) {
        List<String> l = acquiring("WARNING: possible circular locking dependency detected", cpu, next, prev);
        l.add("which lock already depends on the new lock.");
        l.add("");
        l.add("the existing dependency chain (in reverse order) is:");
        for (int i = path.length - 1; i >= 0; i--) {
            l.add("");
            l.add("-> #" + i + className(path[i]) + ":");
            l.addAll(i == 0 ? trace() : traces.get(i - 1));
        }
        l.add("");
        l.add("other info that might help us debug this:");
        l.add("");
        String source = name(path[0]);
        String parent = name(path[path.length - 2]);
        String target = name(path[path.length - 1]);
        if (path.length > 2) {
            l.add("Chain exists of:");
            l.add("  " + source + " --> " + parent + " --> " + target);
            l.add("");
        }
        scenario(l, true);
        l.add("  lock(" + target + ");");
        l.add("                               lock(" + parent + ");");
        l.add("                               lock(" + target + ");");
        l.add("  lock(" + source + ");");
        return footer(cpu, l);
    }

    /** Models {@code print_usage_bug()}. */
    List<String> usageBug(Cpu cpu, Spinlock lock, int badBit, int newBit, List<String> badTrace) {
        List<String> l = header("WARNING: inconsistent lock state");
        l.add("inconsistent {" + usageName(badBit) + "} -> {" + usageName(newBit) + "} usage.");
        int pc = cpu.preemptCount();
        int hardirqs = (pc / Cpu.HARDIRQ_OFFSET) & 0xf;
        int softirqs = (pc / Cpu.SOFTIRQ_OFFSET) & 0xff;
        l.add(String.format("%s [HC%d[%d]:SC0[%d]:HE%d:SE%d] takes:", task(cpu),
                hardirqs == 0 ? 0 : 1, hardirqs, softirqs, cpu.irqsDisabled() ? 0 : 1, softirqs == 0 ? 1 : 0));
        l.add(lockLine(lock, true));
        l.add("{" + usageName(badBit) + "} state was registered at:");
        l.addAll(badTrace);
        l.add("");
        l.add("other info that might help us debug this:");
        scenario(l, false);
        l.add("  lock(" + name(lock.lockClass()) + ");");
        l.add("  <Interrupt>");
        l.add("    lock(" + name(lock.lockClass()) + ");");
        return footer(cpu, l);
    }

    /** Models {@code print_deadlock_bug()}. */
    List<String> recursive(Cpu cpu, Spinlock prev, Spinlock next) {
        List<String> l = acquiring("WARNING: possible recursive locking detected", cpu, next, prev);
        l.add("other info that might help us debug this:");
        scenario(l, false);
        l.add("  lock(" + name(prev.lockClass()) + ");");
        l.add("  lock(" + name(next.lockClass()) + ");");
        return footer(cpu, l, " May be due to missing lock nesting notation", "");
    }

    /** Models {@code print_unlock_imbalance_bug()}. */
    List<String> unlockImbalance(Cpu cpu, Spinlock lock) {
        List<String> l = header("WARNING: bad unlock balance detected!");
        l.add(task(cpu) + " is trying to release lock (" + lock.name() + ") at:");
        l.addAll(trace().stream().limit(1).collect(Collectors.toList()));
        l.add("but there are no more locks to release!");
        l.add("");
        l.add("other info that might help us debug this:");
        return heldAndStack(cpu, l);
    }

    /** Models {@code lockdep_print_held_locks()} for the CPU's current task. */
    List<String> heldLocks(Cpu cpu) {
        List<String> l = new ArrayList<>();
        if (held.depth == 0) {
            l.add("no locks held by " + task(cpu) + ".");
            return l;
        }
        l.add(held.depth + " lock" + (held.depth > 1 ? "s" : "") + " held by " + task(cpu) + ":");
        for (int i = 0; i < held.depth; i++) {
            l.add(" #" + i + ": " + lockLine(held.lock[i], false).substring(1));
        }
        return l;
    }

    private static List<String> header(String warning) {
        List<String> l = new ArrayList<>();
        l.add("=".repeat(warning.length()));
        l.add(warning);
        l.add(IDENT);
        l.add("-".repeat(warning.length()));
        return l;
    }

    /** The header, then which lock the task is trying to take and which it already holds. */
    private List<String> acquiring(String warning, Cpu cpu, Spinlock next, Spinlock prev) {
        List<String> l = header(warning);
        l.add(task(cpu) + " is trying to acquire lock:");
        l.add(lockLine(next, true));
        l.add("");
        l.add("but task is already holding lock:");
        l.add(lockLine(prev, false));
        l.add("");
        return l;
    }

    /** The head of the unsafe-scenario table, for one CPU or two. */
    private static void scenario(List<String> l, boolean twoCpus) {
        l.add(" Possible unsafe locking scenario:");
        l.add("");
        l.add(twoCpus ? "       CPU0                    CPU1" : "       CPU0");
        l.add(twoCpus ? "       ----                    ----" : "       ----");
    }

    /** The end of a deadlock report: the verdict, {@code notes}, the held locks and the stack. */
    private List<String> footer(Cpu cpu, List<String> l, String... notes) {
        l.add("");
        l.add(" *** DEADLOCK ***");
        l.add("");
        l.addAll(List.of(notes));
        return heldAndStack(cpu, l);
    }

    private List<String> heldAndStack(Cpu cpu, List<String> l) {
        l.addAll(heldLocks(cpu));
        l.add("");
        l.add("stack backtrace:");
        l.addAll(trace());
        return l;
    }

    /** Models {@code print_lock()}: the lock, its class and usage, and (now) where it is taken. */
    private String lockLine(Spinlock lock, boolean here) {
        String at = here ? ", at: " + trace().stream().findFirst().orElse("?").trim() : "";
        return " " + lock.name() + className(lock.lockClass()) + at;
    }

    /** Models {@code print_lock_name()}: {@code  (name){usage}-{2:2}}. */
    private String className(int cls) {
        return " (" + name(cls) + ")" + lockdep.usageChars(cls) + WAIT_TYPES;
    }

    private String name(int cls) {
        return lockdep.nameOf(cls);
    }

    private static String usageName(int bit) {
        return bit == Lockdep.USED_IN_HARDIRQ ? "IN-HARDIRQ-W" : "HARDIRQ-ON-W";
    }

    private static String task(Cpu cpu) {
        Task t = cpu.current();
        return t.name() + "/" + t.pid();
    }
}
