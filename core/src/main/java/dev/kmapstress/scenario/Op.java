package dev.kmapstress.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The operations a scenario step can perform, spelled as the kernel's functions, with the
 * arguments each takes. {@link #WAIT} is the script's own: it resumes a CPU that a step left
 * blocked or paused.
 */
public enum Op {
    KMAP("kmap", Arg.PAGE),
    KUNMAP("kunmap", Arg.PAGE),
    KMAP_HIGH_GET("kmap_high_get", Arg.PAGE),
    KMAP_LOCAL_PAGE("kmap_local_page", Arg.PAGE),
    KUNMAP_LOCAL("kunmap_local", Arg.ADDR_OR_TOP),
    KMAP_ATOMIC("kmap_atomic", Arg.PAGE),
    KUNMAP_ATOMIC("kunmap_atomic", Arg.ADDR_OR_TOP),
    /** kmap_local_pfn of the named page's pfn; unmapped by kunmap_local. */
    KMAP_LOCAL_PFN("kmap_local_pfn", Arg.PAGE),
    /** kmap_atomic_pfn of the named page's pfn; unmapped by kunmap_atomic. */
    KMAP_ATOMIC_PFN("kmap_atomic_pfn", Arg.PAGE),
    KMAP_ASSERT_NOMAP("kmap_assert_nomap"),
    NR_FREE_HIGHPAGES("nr_free_highpages"),
    KMAP_FLUSH_UNUSED("kmap_flush_unused"),
    PAGE_ADDRESS("page_address", Arg.PAGE),
    KMAP_TO_PAGE("kmap_to_page", Arg.ADDR),
    READ("read", Arg.ADDR, Arg.WORD),
    WRITE("write", Arg.ADDR, Arg.WORD, Arg.VALUE),
    FLUSH_TLB_ALL("flush_tlb_all"),
    IRQ_ENTER("irq_enter"),
    IRQ_EXIT("irq_exit"),
    LOCAL_IRQ_DISABLE("local_irq_disable"),
    LOCAL_IRQ_ENABLE("local_irq_enable"),
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
    }

    private final String word;
    private final List<Arg> args;

    Op(String word, Arg... args) {
        this.word = word;
        this.args = List.of(args);
    }

    /** The operation as a script spells it, e.g. {@code kmap_flush_unused}. */
    public String word() {
        return word;
    }

    /** The arguments it takes, in order. */
    public List<Arg> args() {
        return args;
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

    /** Every operation's spelling, comma-separated. */
    public static String words() {
        return Arrays.stream(values()).map(Op::word).collect(Collectors.joining(", "));
    }
}
