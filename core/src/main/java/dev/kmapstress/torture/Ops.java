package dev.kmapstress.torture;

/** Names of the operations a run counts besides its mapping kinds' map and unmap calls. */
final class Ops {

    /** kmap_flush_unused(), called now and then after a round of persistent mappings. */
    static final String FLUSH = "kmap_flush_unused";
    /** page_address() of a random highmem page, looked up beside every persistent mapping. */
    static final String PROBE = "page_address";
    /** The mapping an injected interrupt makes. */
    static final String IRQ = "irq:kmap_high_get";

    private Ops() {
    }
}
