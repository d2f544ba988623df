package dev.kmapstress.fault;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The catalogue of seeded faults: named, default-off switches, each a minimal and realistic
 * mistake that changes exactly one step of the faithful model. Every instrument proves its
 * power by catching them; each constant says which symptom should expose it.
 */
public enum Fault {

    /**
     * kmap_high reads page_address() before taking kmap_lock and trusts it. Between the lookup
     * and the lock a wrap-around flush can free the slot and another page can take it: the
     * caller then bumps the count of a slot that maps another page (wrong data through the
     * returned address) or of a freed slot (BUG_ON(count &lt; 2) in kmap_high).
     */
    UNLOCKED_ADDRESS_LOOKUP(1,
            "kmap_high trusts page_address() read before taking kmap_lock",
            EnumSet.of(Instrument.SCENARIO, Instrument.TORTURE, Instrument.JCSTRESS, Instrument.LINCHECK)),

    /**
     * flush_all_zero_pkmaps frees count-1 slots without flush_tlb_kernel_range(). A CPU whose
     * TLB still holds the old translation reads the previous page's data through an address
     * that now maps another page: wrong data.
     */
    NO_TLB_FLUSH(2,
            "flush_all_zero_pkmaps frees slots without flushing TLBs",
            EnumSet.of(Instrument.SCENARIO, Instrument.TORTURE, Instrument.JCSTRESS, Instrument.LINCHECK)),

    /**
     * kunmap_high lets a count that reaches 1 fall straight to 0: the slot is reusable at once,
     * with its PTE, its page_address entry and other CPUs' TLB entries still pointing at the old
     * page. Symptom: wrong data after the slot is reused; waiters are still woken.
     */
    UNMAP_TO_ZERO(3,
            "kunmap_high drops a count of 1 straight to 0",
            EnumSet.of(Instrument.SCENARIO, Instrument.TORTURE, Instrument.JCSTRESS, Instrument.LINCHECK)),

    /**
     * After waking in map_new_virtual, the waiter does not re-check page_address() and maps the
     * page again: one page gets two slots, two callers get different addresses, and a later
     * kunmap finds the wrong slot (count down to zero: BUG in kunmap_high).
     */
    NO_RECHECK_AFTER_SLEEP(4,
            "a woken waiter maps the page again without rechecking page_address()",
            EnumSet.of(Instrument.SCENARIO, Instrument.TORTURE, Instrument.JCSTRESS, Instrument.LINCHECK)),

    /**
     * kunmap_high samples waitqueue_active() after dropping kmap_lock instead of under it. An
     * unlocked read of the wait-queue head; because waiters scan and enqueue under kmap_lock
     * and wake_up wakes all, no wake-up is lost by itself: instruments should report it as
     * benign (a negative result that documents why the kernel's comment is conservative).
     */
    WAKEUP_TEST_AFTER_UNLOCK(5,
            "kunmap_high tests the wait queue after dropping kmap_lock (benign)",
            EnumSet.noneOf(Instrument.class)),

    /**
     * The waiter in map_new_virtual drops kmap_lock before setting TASK_UNINTERRUPTIBLE and
     * joining the wait queue. A kunmap_high in that window sees an empty queue and wakes no
     * one: a lost wake-up, reported by the hung-task detector.
     */
    STATE_AFTER_UNLOCK(6,
            "the waiter drops kmap_lock before joining the wait queue: lost wake-up",
            EnumSet.of(Instrument.SCENARIO, Instrument.TORTURE, Instrument.LINCHECK)),

    /**
     * wake_up wakes only the first waiter. A second waiter can sleep on although slots are free
     * (the first one, still queued, absorbs later wake-ups): a hung task.
     */
    WAKE_ONE(7,
            "wake_up wakes only the first waiter",
            EnumSet.of(Instrument.SCENARIO, Instrument.LINCHECK)),

    /**
     * kmap_high increments pkmap_count after unlock_kmap(). Increments race with each other and
     * with a flush that sees the fresh count 1 and frees the slot under the caller: lost counts
     * (BUG in kunmap_high) or a freed mapping in use (page fault, wrong data).
     */
    COUNT_OUTSIDE_LOCK(8,
            "kmap_high increments pkmap_count after unlock_kmap()",
            EnumSet.of(Instrument.SCENARIO, Instrument.JCSTRESS, Instrument.LINCHECK)),

    /**
     * kmap_flush_unused() runs flush_all_zero_pkmaps() without kmap_lock. It can free a fresh
     * slot between map_new_virtual (count 1) and the caller's increment: the caller then holds
     * a freed mapping (page fault or BUG).
     */
    FLUSH_WITHOUT_LOCK(9,
            "kmap_flush_unused flushes without kmap_lock",
            EnumSet.of(Instrument.SCENARIO, Instrument.TORTURE, Instrument.JCSTRESS, Instrument.LINCHECK)),

    /**
     * set_page_address() edits its hash bucket without the bucket's spinlock. A concurrent
     * page_address() walking the same bucket follows a poisoned or moved list entry: a page
     * fault at LIST_POISON1 or a lookup that never ends (lockup).
     */
    BUCKET_UNLOCKED(10,
            "set_page_address edits its hash bucket without the bucket lock",
            EnumSet.of(Instrument.SCENARIO, Instrument.TORTURE, Instrument.JCSTRESS, Instrument.LINCHECK)),

    /**
     * kmap_local computes its fixmap slot from the task's stack index alone, without the
     * {@code KM_MAX_IDX * smp_processor_id()} offset: every CPU uses CPU 0's slots. Two CPUs
     * mapping at the same depth at once collide: the second finds the slot's PTE taken
     * (BUG_ON(!pte_none) in __kmap_local_pfn_prot), or, when both test the PTE before either
     * sets it, one overwrites the other's mapping (wrong data) and the first unmap clears the
     * other CPU's live mapping (page fault). Sequentially, CPU 1 gets CPU 0's addresses.
     */
    SHARED_LOCAL_INDEX(11,
            "kmap_local leaves out the per-CPU slot offset: CPUs share slots",
            EnumSet.of(Instrument.SCENARIO, Instrument.TORTURE, Instrument.JCSTRESS, Instrument.LINCHECK)),

    /**
     * The context switch clears the outgoing task's kmap_local PTEs but never calls
     * __kmap_local_sched_in for the incoming one: a task preempted while holding a
     * kmap_local_page mapping comes back to a cleared slot and its next access through the
     * address is a page fault (the switch-out also flushed the slot from the CPU's TLB).
     */
    NO_SCHED_IN_RESTORE(12,
            "a context switch never restores the incoming task's kmap_local PTEs",
            EnumSet.of(Instrument.SCENARIO, Instrument.TORTURE, Instrument.JCSTRESS, Instrument.LINCHECK)),

    /**
     * kmap_lock is taken with IRQs disabled (spin_lock_irq) on a profile whose TLB flush sends
     * IPIs and waits for them. The lock holder flushes and waits for a CPU that spins on
     * kmap_lock with IRQs off and can never acknowledge: the classic IPI/spinlock deadlock,
     * reported as a hard lockup by the lockup detector (both CPUs then spin on, as in the
     * kernel). On a machine with the lock validator ({@code lockdep=true}, the kernel's
     * CONFIG_PROVE_LOCKING) the flush first warns at kernel/smp.c:915, as
     * smp_call_function_many_cond() does when called with IRQs off.
     */
    IRQ_OFF_SPIN_WITH_IPI_FLUSH(13,
            "kmap_lock taken with IRQs off on a profile that flushes by IPI",
            EnumSet.of(Instrument.SCENARIO, Instrument.TORTURE, Instrument.JCSTRESS, Instrument.LINCHECK)),

    /**
     * flush_all_zero_pkmaps clears PKMAP PTEs without calling flush_cache_kmaps() first. On the
     * arm-like profile's VIVT data cache, lines written through a freed PKMAP address stay dirty
     * under it: the page's memory and its next alias (a kmap_local slot, another PKMAP slot) show
     * the data from before those writes (stale data), and the freed address, once it maps another
     * page, still shows the old page's words (wrong data). Only arm-like has such a cache: on
     * the other profiles the fault changes nothing.
     */
    NO_FLUSH_CACHE_KMAPS(15,
            "flush_all_zero_pkmaps unmaps without flush_cache_kmaps (arm-like's VIVT cache)",
            EnumSet.of(Instrument.SCENARIO, Instrument.TORTURE));

    private final int number;
    private final String summary;
    private final Set<Instrument> caughtBy;

    Fault(int number, String summary, Set<Instrument> caughtBy) {
        this.number = number;
        this.summary = summary;
        this.caughtBy = Collections.unmodifiableSet(caughtBy);
    }

    /** The mistake in one line. */
    public String summary() {
        return summary;
    }

    /**
     * The instruments whose committed tests catch it (each instrument's tests check this set
     * against the faults they prove); empty for a benign fault.
     */
    public Set<Instrument> caughtBy() {
        return caughtBy;
    }

    /**
     * Its number in the reference's catalogue (§7), where 14 is the deliberately broken lock
     * strategies; faults added since continue from 15.
     */
    public int number() {
        return number;
    }

    /**
     * The fault named {@code name} (case-insensitive, '-' or '_').
     *
     * @throws IllegalArgumentException naming the value and listing the known faults
     */
    public static Fault parse(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Fault f : values()) {
            if (f.name().equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + name + "'; known: " + names());
    }

    /** Every fault name, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
