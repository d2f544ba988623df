package dev.kmapstress.torture;

/** Names of the operations a run counts besides those of its activities. */
final class Ops {

    /** kmap_flush_unused(), called now and then after a round of persistent mappings. */
    static final String FLUSH = "kmap_flush_unused";
    /** page_address() of a random highmem page, looked up beside every persistent mapping. */
    static final String PROBE = "page_address";
    /** The kmap_local_page() an injected interrupt makes (its kunmap_local is not counted). */
    static final String IRQ_LOCAL = "irq:kmap_local_page";
    /** The kmap_high_get() an injected interrupt makes where the architecture has it. */
    static final String IRQ_HIGH_GET = "irq:kmap_high_get";

    private Ops() {
    }
}
