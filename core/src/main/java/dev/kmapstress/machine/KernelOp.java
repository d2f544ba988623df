package dev.kmapstress.machine;

import java.util.Locale;

/**
 * The kernel functions a caller of the model performs, each spelled as the kernel spells it:
 * the one vocabulary of torture's statistics ({@code kmap: Total: ...}), the steps of a
 * scenario ({@code cpu0 kmap p3}) and the steps torture records of a failed run. An operation
 * the scenario language has no step for (copy_highpage) still has its name here.
 */
public enum KernelOp {
    KMAP,
    KUNMAP,
    KMAP_HIGH_GET,
    KMAP_LOCAL_PAGE,
    KUNMAP_LOCAL,
    KMAP_ATOMIC,
    KUNMAP_ATOMIC,
    KMAP_LOCAL_PFN,
    KMAP_ATOMIC_PFN,
    KMAP_LOCAL_FOLIO,
    KMAP_ATOMIC_PROT,
    KMAP_ASSERT_NOMAP,
    ZERO_USER_SEGMENTS,
    NR_FREE_HIGHPAGES,
    KMAP_FLUSH_UNUSED,
    PAGE_ADDRESS,
    KMAP_TO_PAGE,
    COPY_HIGHPAGE,
    MEMCPY_FROM_PAGE,
    FLUSH_TLB_ALL,
    IRQ_ENTER,
    IRQ_EXIT,
    LOCAL_IRQ_DISABLE,
    LOCAL_IRQ_ENABLE;

    private final String word = name().toLowerCase(Locale.ROOT);

    /** The function's name in the kernel, e.g. {@code kmap_flush_unused}. */
    public String word() {
        return word;
    }
}
