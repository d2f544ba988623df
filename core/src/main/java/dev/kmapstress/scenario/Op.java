package dev.kmapstress.scenario;

import dev.kmapstress.machine.KernelOp;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The operations a scenario step can perform, with the arguments each takes: the kernel's
 * functions ({@link KernelOp}, spelled as the kernel spells them) and the script's own steps,
 * {@link #READ}, {@link #WRITE}, {@link #TASK}, {@link #FORK} and {@link #WAIT} (which resumes
 * a CPU that a step left blocked or paused).
 *
 * <p>The grammar of arguments: a step takes at most one page, one address and one task name,
 * and any number of numbers ({@link Arg#number()}), in the order its list gives them.
 */
public enum Op {
    KMAP(KernelOp.KMAP, Arg.PAGE),
    KUNMAP(KernelOp.KUNMAP, Arg.PAGE),
    KMAP_HIGH_GET(KernelOp.KMAP_HIGH_GET, Arg.PAGE),
    KMAP_LOCAL_PAGE(KernelOp.KMAP_LOCAL_PAGE, Arg.PAGE),
    KUNMAP_LOCAL(KernelOp.KUNMAP_LOCAL, Arg.ADDR_OR_TOP),
    KMAP_ATOMIC(KernelOp.KMAP_ATOMIC, Arg.PAGE),
    KUNMAP_ATOMIC(KernelOp.KUNMAP_ATOMIC, Arg.ADDR_OR_TOP),
    /** kmap_local_pfn of the named page's pfn; unmapped by kunmap_local. */
    KMAP_LOCAL_PFN(KernelOp.KMAP_LOCAL_PFN, Arg.PAGE),
    /** kmap_atomic_pfn of the named page's pfn; unmapped by kunmap_atomic. */
    KMAP_ATOMIC_PFN(KernelOp.KMAP_ATOMIC_PFN, Arg.PAGE),
    /**
     * kmap_local_folio of the folio starting at the named page (its pages are the following
     * pfns) at a byte offset; the address of that byte. Unmapped by kunmap_local.
     */
    KMAP_LOCAL_FOLIO(KernelOp.KMAP_LOCAL_FOLIO, Arg.PAGE, Arg.VALUE),
    /** kmap_atomic_prot of the named page with the PTE protection bits given; unmapped by kunmap_atomic. */
    KMAP_ATOMIC_PROT(KernelOp.KMAP_ATOMIC_PROT, Arg.PAGE, Arg.VALUE),
    KMAP_ASSERT_NOMAP(KernelOp.KMAP_ASSERT_NOMAP),
    /**
     * zero_user_segments of the named page: words [start1, end1) and [start2, end2) zeroed
     * through one kmap_local mapping (offsets in payload words, as {@code HighmemCopy} counts).
     */
    ZERO_USER_SEGMENTS(KernelOp.ZERO_USER_SEGMENTS, Arg.PAGE, Arg.OFFSET, Arg.OFFSET, Arg.OFFSET, Arg.OFFSET),
    NR_FREE_HIGHPAGES(KernelOp.NR_FREE_HIGHPAGES),
    KMAP_FLUSH_UNUSED(KernelOp.KMAP_FLUSH_UNUSED),
    PAGE_ADDRESS(KernelOp.PAGE_ADDRESS, Arg.PAGE),
    KMAP_TO_PAGE(KernelOp.KMAP_TO_PAGE, Arg.ADDR),
    READ("read", Arg.ADDR, Arg.WORD),
    WRITE("write", Arg.ADDR, Arg.WORD, Arg.VALUE),
    FLUSH_TLB_ALL(KernelOp.FLUSH_TLB_ALL),
    IRQ_ENTER(KernelOp.IRQ_ENTER),
    IRQ_EXIT(KernelOp.IRQ_EXIT),
    LOCAL_IRQ_DISABLE(KernelOp.LOCAL_IRQ_DISABLE),
    LOCAL_IRQ_ENABLE(KernelOp.LOCAL_IRQ_ENABLE),
    /** Switches the CPU to the named task (created if new): sched_out, then sched_in. */
    TASK("task", Arg.NAME),
    /** Forks a child of the CPU's current task under that name; it runs once switched to. */
    FORK("fork", Arg.NAME),
    WAIT("wait");

    /** The kinds of argument, each with the words an error message uses for it. */
    public enum Arg {
        /** {@code pK} (the K-th highmem page) or {@code lK} (the K-th lowmem page). */
        PAGE("a page pK or lK"),
        /** A virtual address in hex, {@code 0xff800000}. */
        ADDR("an address in hex (0x...)"),
        /** An address, or {@code top}: the top of the CPU's current kmap_local stack. */
        ADDR_OR_TOP("an address in hex (0x...) or top"),
        /** The index of a 32-bit word in the page, decimal. */
        WORD("a word index"),
        /** A 32-bit value, hex ({@code 0x2a}) or decimal. */
        VALUE("a 32-bit value (0x... or decimal)"),
        /**
         * A word offset in the page, decimal or hex: up to payload-words; a larger one is passed
         * on (the kernel's BUG_ON for a segment beyond the page).
         */
        OFFSET("a word offset in the page (decimal or 0x...)"),
        /** A task's name (its comm: at most 15 characters, no spaces). */
        NAME("a task name");

        private final String description;

        Arg(String description) {
            this.description = description;
        }

        /** How an error message names what was expected. */
        public String description() {
            return description;
        }

        /** A number: a step holds its numbers in one list, in the order the operation takes them. */
        public boolean number() {
            return this == WORD || this == VALUE || this == OFFSET;
        }
    }

    private final String word;
    /** The kernel function the step performs, null for the script's own steps. */
    private final KernelOp kernelOp;
    private final List<Arg> args;
    private final int numbers;

    Op(KernelOp kernelOp, Arg... args) {
        this(kernelOp.word(), kernelOp, args);
    }

    Op(String word, Arg... args) {
        this(word, (KernelOp) null, args);
    }

    Op(String word, KernelOp kernelOp, Arg... args) {
        this.word = word;
        this.kernelOp = kernelOp;
        this.args = List.of(args);
        this.numbers = (int) this.args.stream().filter(Arg::number).count();
        if (count(Arg.PAGE) > 1 || count(Arg.ADDR) + count(Arg.ADDR_OR_TOP) > 1 || count(Arg.NAME) > 1) {
            throw new IllegalArgumentException("'" + word + "': a step holds at most one page, one address"
                    + " and one task name (and numbers without limit)");
        }
    }

    /** The operation as a script spells it, e.g. {@code kmap_flush_unused}. */
    public String word() {
        return word;
    }

    /** The arguments it takes, in order. */
    public List<Arg> args() {
        return args;
    }

    private long count(Arg kind) {
        return args.stream().filter(a -> a == kind).count();
    }

    /** How many of its arguments are numbers ({@link Arg#number()}). */
    public int numbers() {
        return numbers;
    }

    /** The operation spelled {@code word}, or null. */
    public static Op byWord(String word) {
        for (Op op : values()) {
            if (op.word.equals(word)) {
                return op;
            }
        }
        return null;
    }

    /** The step that performs {@code op}, or null if the language has none (copy_highpage). */
    public static Op of(KernelOp op) {
        for (Op o : values()) {
            if (o.kernelOp == op) {
                return o;
            }
        }
        return null;
    }

    /** Every operation's spelling, comma-separated. */
    public static String words() {
        return Arrays.stream(values()).map(Op::word).collect(Collectors.joining(", "));
    }
}
