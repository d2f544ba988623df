package dev.kmapstress.scenario;

import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import dev.kmapstress.scenario.Script.PageRef;
import dev.kmapstress.scenario.Script.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Remembers the last steps of each CPU of a run in the scenario language, so a failure found by
 * a concurrent run (the torture runner) can be printed as a script and turned into a scenario.
 *
 * <pre>{@code
 * StepRecorder rec = new StepRecorder(machine.nrCpus(), 32);
 * // in the thread running CPU n, before each operation:
 * rec.record(n, Op.KMAP, page);
 * rec.record(n, Op.WRITE, vaddr, word, value);
 * rec.note(n, "copy_highpage p3 p4");         // something the language has no step for
 * // when the run failed, after its CPUs stopped:
 * System.out.print(rec.toScript(machine.config(), seed, failingCpus));
 * }</pre>
 *
 * <p>Recording is cheap and allocates nothing: one ring per CPU, written only by the thread
 * running that CPU, of the operation, its arguments (a page by reference) and a
 * {@link System#nanoTime()} stamp. {@link #toScript} interleaves the CPUs' steps by their
 * stamps: the order in which they started, as far as the clock tells. Steps that overlapped in
 * the run may replay in another order, and an interleaving inside one kernel function needs an
 * {@code until} added by hand, so the printed script is where a reproducer starts, not always
 * one by itself. Read it once the CPUs have stopped; a CPU still running may tear its last step.
 */
public final class StepRecorder {

    private static final Set<Op> PAGE_OPS = EnumSet.of(Op.KMAP, Op.KUNMAP, Op.KMAP_HIGH_GET,
            Op.KMAP_LOCAL_PAGE, Op.KMAP_ATOMIC, Op.PAGE_ADDRESS);
    private static final Set<Op> ADDRESS_OPS = EnumSet.of(Op.KUNMAP_LOCAL, Op.KUNMAP_ATOMIC,
            Op.KMAP_TO_PAGE);
    private static final Set<Op> NAME_OPS = EnumSet.of(Op.TASK, Op.FORK);
    private static final Set<Op> BARE_OPS = EnumSet.of(Op.KMAP_FLUSH_UNUSED, Op.FLUSH_TLB_ALL,
            Op.IRQ_ENTER, Op.IRQ_EXIT, Op.LOCAL_IRQ_DISABLE, Op.LOCAL_IRQ_ENABLE);

    /** One CPU's last steps; {@code op == null} marks a note, its text in {@code ref}. */
    private static final class Ring {
        final Op[] op;
        final Object[] ref;
        final long[] addr;
        final int[] word;
        final int[] value;
        final long[] when;
        long count;

        Ring(int depth) {
            op = new Op[depth];
            ref = new Object[depth];
            addr = new long[depth];
            word = new int[depth];
            value = new int[depth];
            when = new long[depth];
        }
    }

    private final Ring[] rings;
    private final int depth;

    /** Keeps the last {@code depth} steps of each of {@code cpus} CPUs. */
    public StepRecorder(int cpus, int depth) {
        if (cpus < 1 || depth < 1) {
            throw new IllegalArgumentException("a step recorder needs at least one CPU and a depth of"
                    + " at least 1; got cpus=" + cpus + ", depth=" + depth);
        }
        this.depth = depth;
        this.rings = new Ring[cpus];
        for (int i = 0; i < cpus; i++) {
            rings[i] = new Ring(depth);
        }
    }

    /** Records a step that takes a page: kmap, kunmap, kmap_high_get, kmap_local_page, kmap_atomic, page_address. */
    public void record(int cpu, Op op, Page page) {
        check(op, PAGE_OPS);
        store(cpu, op, page, 0, 0, 0);
    }

    /** Records a step that takes an address: kunmap_local, kunmap_atomic, kmap_to_page. */
    public void record(int cpu, Op op, long vaddr) {
        check(op, ADDRESS_OPS);
        store(cpu, op, null, vaddr, 0, 0);
    }

    /** Records a read of word {@code word} through {@code vaddr}. */
    public void recordRead(int cpu, long vaddr, int word) {
        store(cpu, Op.READ, null, vaddr, word, 0);
    }

    /** Records a write of {@code value} to word {@code word} through {@code vaddr}. */
    public void recordWrite(int cpu, long vaddr, int word, int value) {
        store(cpu, Op.WRITE, null, vaddr, word, value);
    }

    /** Records a step that takes a task name: task, fork. */
    public void record(int cpu, Op op, String taskName) {
        check(op, NAME_OPS);
        store(cpu, op, taskName, 0, 0, 0);
    }

    /** Records a step without arguments: kmap_flush_unused, flush_tlb_all, irq_enter, ... */
    public void record(int cpu, Op op) {
        check(op, BARE_OPS);
        store(cpu, op, null, 0, 0, 0);
    }

    /** Records something the language has no step for, printed as a comment in its place. */
    public void note(int cpu, String text) {
        store(cpu, null, text, 0, 0, 0);
    }

    private static void check(Op op, Set<Op> allowed) {
        if (!allowed.contains(op)) {
            throw new IllegalArgumentException("'" + op.word() + "' takes " + (op.args().isEmpty()
                    ? "no arguments" : op.args().stream().map(Op.Arg::description)
                            .collect(Collectors.joining(", "))) + "; record it with the matching method");
        }
    }

    private void store(int cpu, Op op, Object ref, long addr, int word, int value) {
        Ring r = rings[cpu];
        int i = (int) (r.count % depth);
        r.op[i] = op;
        r.ref[i] = ref;
        r.addr[i] = addr;
        r.word[i] = word;
        r.value[i] = value;
        r.when[i] = System.nanoTime();
        r.count++;
    }

    /** The last steps of {@code cpu} as script lines, oldest first. */
    public List<String> lastSteps(int cpu) {
        Ring r = rings[cpu];
        List<String> lines = new ArrayList<>();
        for (long k = Math.max(0, r.count - depth); k < r.count; k++) {
            lines.add(line(cpu, (int) (k % depth)));
        }
        return lines;
    }

    private String line(int cpu, int i) {
        Ring r = rings[cpu];
        if (r.op[i] == null) {
            return "# cpu" + cpu + ": " + r.ref[i];
        }
        PageRef page = r.ref[i] instanceof Page p ? new PageRef(p.isHighMem(), p.index()) : null;
        String name = r.ref[i] instanceof String s ? s : null;
        // Recorded steps take at most two numbers: read's word, write's word and value.
        List<Integer> numbers = List.of(r.word[i], r.value[i]).subList(0, r.op[i].numbers());
        return new Step(0, cpu, r.op[i], page, r.addr[i], name, numbers, null, null).echo();
    }

    /**
     * A scenario replaying the last steps of {@code cpus} (every CPU if none are named) on the
     * run's machine, interleaved by start time, with the seed in its header.
     */
    public String toScript(MachineConfig config, long seed, int... cpus) {
        int[] which = cpus.length > 0 ? cpus : IntStream.range(0, rings.length).toArray();
        List<long[]> order = new ArrayList<>();
        for (int cpu : which) {
            Ring r = rings[cpu];
            for (long k = Math.max(0, r.count - depth); k < r.count; k++) {
                int i = (int) (k % depth);
                order.add(new long[] {r.when[i], cpu, i});
            }
        }
        order.sort((a, b) -> Long.compare(a[0], b[0]));
        StringBuilder sb = new StringBuilder();
        sb.append("# seed ").append(seed).append(": the last ").append(depth).append(" steps of ")
                .append(Arrays.stream(which).mapToObj(c -> "cpu" + c).collect(Collectors.joining(", ")))
                .append(", in the order they started\n")
                .append("# replay with: ./kmap-stress run FILE (add 'until' where steps overlapped)\n")
                .append("machine ").append(config).append('\n');
        for (long[] o : order) {
            sb.append(line((int) o[1], (int) o[2])).append('\n');
        }
        return sb.toString();
    }
}
