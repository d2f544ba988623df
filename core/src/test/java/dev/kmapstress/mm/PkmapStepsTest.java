package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.lock.Cpus;
import dev.kmapstress.log.Oops;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Tiny;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The steps of kmap_high, kunmap_high, map_new_virtual and flush_all_zero_pkmaps, one CPU's
 * steps in the order mm/highmem.c makes them: each test fails if a step is left out or moves.
 * The seeded faults that move one step show the moved step where the fault puts it.
 */
class PkmapStepsTest {

    private final Steps steps = new Steps();

    private Machine machine(Profile profile, Fault... faults) {
        return Machine.build(Tiny.config(profile, 2, faults).build(), steps);
    }

    private static void as(Machine m, int n, Consumer<Cpu> body) {
        try (Cpu.Scope s = m.cpu(n).enter()) {
            body.accept(s.cpu());
        }
    }

    /** The lock of the page_address bucket {@code page} hashes to. */
    private static String bucket(Machine m, Page page) {
        return "page_address_htable[" + m.pageAddressTable().bucketOf(page) + "].lock";
    }

    /** page_address() of a page the bucket does not hold (the bucket is otherwise empty). */
    private static List<String> pageAddressMiss(Machine m, Page page) {
        return List.of("spin_lock_irqsave " + bucket(m, page), "spin_unlock_irqrestore " + bucket(m, page),
                "page_address " + page.name() + " -> NULL");
    }

    /** page_address() of a page mapped at {@code vaddr}, alone in its bucket. */
    private static List<String> pageAddressHit(Machine m, Page page, String vaddr) {
        return List.of("spin_lock_irqsave " + bucket(m, page), "page_address_map " + page.name() + " " + vaddr,
                "spin_unlock_irqrestore " + bucket(m, page), "page_address " + page.name() + " -> " + vaddr);
    }

    /** set_page_address() of {@code page} to {@code vaddr} ("NULL" to remove it). */
    private static List<String> setPageAddress(Machine m, Page page, String vaddr) {
        return List.of("spin_lock_irqsave " + bucket(m, page), "spin_unlock_irqrestore " + bucket(m, page),
                "set_page_address " + page.name() + " " + vaddr);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    /** map_new_virtual() of {@code page} into free slot {@code nr}. */
    private static List<String> mapNewVirtual(Machine m, Page page, int nr, String vaddr) {
        return concat(List.of("set_pte_at pkmap_page_table[" + nr + "] " + page.name(), "pkmap_count[" + nr + "] 0 -> 1"),
                setPageAddress(m, page, vaddr), List.of("map_new_virtual " + page.name() + " -> " + vaddr));
    }

    @Test
    void kmapHighLooksUpUnderKmapLockThenMapsThenCountsTheUser() {
        Machine m = machine(Profile.X86_PAE);
        Page p0 = m.highPage(0);
        as(m, 0, cpu -> m.pkmap().kmapHigh(cpu, p0));
        assertThat(steps.of(0)).containsExactlyElementsOf(concat(
                List.of("spin_lock kmap_lock"), pageAddressMiss(m, p0), mapNewVirtual(m, p0, 1, "0xff001000"),
                List.of("pkmap_count[1] 1 -> 2", "spin_unlock kmap_lock")));
        steps.clear();
        as(m, 0, cpu -> m.pkmap().kmapHigh(cpu, p0));
        assertThat(steps.of(0)).as("a hit: the existing mapping gains a user").containsExactlyElementsOf(concat(
                List.of("spin_lock kmap_lock"), pageAddressHit(m, p0, "0xff001000"),
                List.of("pkmap_count[1] 2 -> 3", "spin_unlock kmap_lock")));
    }

    /** CPU 0 maps p0 once; returns the steps of the kunmap_high that drops that only user. */
    private List<String> kunmapOfTheOnlyUserOfP0(Machine m) {
        as(m, 0, cpu -> {
            m.pkmap().kmapHigh(cpu, m.highPage(0));
            steps.clear();
            m.pkmap().kunmapHigh(cpu, m.highPage(0));
        });
        return steps.of(0);
    }

    /** kunmap_high's steps for p0, mapped at slot 1: kmap_lock, page_address, then {@code rest}. */
    private static List<String> kunmapOfP0(Machine m, String... rest) {
        return concat(List.of("spin_lock kmap_lock"), pageAddressHit(m, m.highPage(0), "0xff001000"), List.of(rest));
    }

    @Test
    void kunmapHighTestsTheWaitQueueOnlyWhenTheLastUserLeavesAndUnderKmapLock() {
        Machine m = machine(Profile.X86_PAE);
        assertThat(kunmapOfTheOnlyUserOfP0(m)).containsExactlyElementsOf(kunmapOfP0(m,
                "pkmap_count[1] 2 -> 1", "waitqueue_active pkmap_map_wait[0] -> 0", "spin_unlock kmap_lock"));
        as(m, 0, cpu -> {
            m.pkmap().kmapHigh(cpu, m.highPage(0));
            m.pkmap().kmapHigh(cpu, m.highPage(0));
            steps.clear();
            m.pkmap().kunmapHigh(cpu, m.highPage(0));
        });
        assertThat(steps.of(0)).as("a user is left").containsExactlyElementsOf(kunmapOfP0(m,
                "pkmap_count[1] 3 -> 2", "spin_unlock kmap_lock"));
    }

    @Test
    void theWrapFreesCountOneSlotsThenShootsDownEveryTlbOnce() {
        Machine m = machine(Profile.X86_PAE);
        Page p0 = m.highPage(0);
        Page p3 = m.highPage(3);
        as(m, 0, cpu -> {
            m.pkmap().kmapHigh(cpu, p0);
            m.pkmap().kunmapHigh(cpu, p0);
            m.pkmap().kmapHigh(cpu, m.highPage(1));
            m.pkmap().kmapHigh(cpu, m.highPage(2));
            steps.clear();
            m.pkmap().kmapHigh(cpu, p3);
        });
        assertThat(steps.of(0)).containsExactlyElementsOf(concat(
                List.of("spin_lock kmap_lock"), pageAddressMiss(m, p3),
                List.of("flush_all_zero_pkmaps", "pkmap_count[1] 1 -> 0", "pte_clear pkmap_page_table[1]"),
                setPageAddress(m, p0, "NULL"),
                List.of("flush_tlb_kernel_range 0xff000000-0xff004000", "IPI to CPU#1"),
                mapNewVirtual(m, p3, 0, "0xff000000"),
                List.of("pkmap_count[0] 1 -> 2", "spin_unlock kmap_lock")));
    }

    @Test
    void kmapFlushUnusedFlushesUnderKmapLock() {
        Machine m = machine(Profile.X86_PAE);
        as(m, 0, cpu -> {
            steps.clear();
            m.pkmap().kmapFlushUnused(cpu);
        });
        assertThat(steps.of(0)).containsExactly("spin_lock kmap_lock", "flush_all_zero_pkmaps", "spin_unlock kmap_lock");
    }

    @Test
    void anAliasingCacheIsFlushedBeforeAnyPkmapIsCleared() {
        Machine m = Machine.build(Tiny.config(Profile.ALIASING_CACHE, 2).lastPkmap(8).build(), steps);
        as(m, 0, cpu -> {
            steps.clear();
            m.pkmap().kmapFlushUnused(cpu);
        });
        assertThat(steps.of(0)).containsExactly("spin_lock kmap_lock", "flush_all_zero_pkmaps",
                "flush_cache_kmaps: flush_cache_all", "spin_unlock kmap_lock");
    }

    @Test
    void eachPageTakesASlotOfItsOwnColour() {
        Machine m = Machine.build(Tiny.config(Profile.ALIASING_CACHE, 1).lastPkmap(8).highmemPages(16).build());
        Pkmap pk = m.pkmap();
        for (int k = 0; k < 16; k++) {
            Page p = m.highPage(k);
            assertThat(pk.getPkmapColor(p)).as("colour of " + p).isEqualTo((int) (p.pfn() & 3));
        }
    }

    @Test
    void kmapHighGetPinsAMappingWithNoUsersLeftAndKeepsIrqsAsTheCallerHadThem() {
        Machine m = machine(Profile.ARM_LIKE);
        Page p0 = m.highPage(0);
        as(m, 0, cpu -> {
            long va = m.pkmap().kmapHigh(cpu, p0);
            m.pkmap().kunmapHigh(cpu, p0);
            cpu.localIrqDisable();
            assertThat(m.pkmap().kmapHighGet(cpu, p0)).as("count 1 is mapped: pinned").isEqualTo(va);
            assertThat(cpu.irqsDisabled()).as("spin_unlock_irqrestore restored IRQs off").isTrue();
            cpu.localIrqEnable();
            assertThat(m.pkmap().pkmapCount(m.layout().pkmapNr(va))).isEqualTo(2);
        });
    }

    @Test
    void aKmapOfASlotWhoseCountDroppedToZeroIsTheBugOnOfKmapHigh() {
        Machine m = machine(Profile.X86_PAE, Fault.UNMAP_TO_ZERO);
        Page p0 = m.highPage(0);
        as(m, 0, cpu -> {
            m.pkmap().kmapHigh(cpu, p0);
            m.pkmap().kunmapHigh(cpu, p0);
            Oops oops = org.junit.jupiter.api.Assertions.assertThrows(Oops.class, () -> m.pkmap().kmapHigh(cpu, p0));
            assertThat(oops.report().lines()).contains("kernel BUG at mm/highmem.c:308!", "EIP: kmap_high");
        });
    }

    // ------------------------------------------------------------ seeded faults move one step

    @Test
    void unlockedAddressLookupReadsPageAddressBeforeTakingKmapLock() {
        Machine m = machine(Profile.X86_PAE, Fault.UNLOCKED_ADDRESS_LOOKUP);
        Page p0 = m.highPage(0);
        as(m, 0, cpu -> m.pkmap().kmapHigh(cpu, p0));
        assertThat(steps.of(0)).containsExactlyElementsOf(concat(
                pageAddressMiss(m, p0), List.of("spin_lock kmap_lock"), mapNewVirtual(m, p0, 1, "0xff001000"),
                List.of("pkmap_count[1] 1 -> 2", "spin_unlock kmap_lock")));
    }

    @Test
    void countOutsideLockCountsTheUserAfterDroppingKmapLock() {
        Machine m = machine(Profile.X86_PAE, Fault.COUNT_OUTSIDE_LOCK);
        Page p0 = m.highPage(0);
        long[] va = new long[1];
        as(m, 0, cpu -> va[0] = m.pkmap().kmapHigh(cpu, p0));
        assertThat(va[0]).isEqualTo(0xff00_1000L);
        assertThat(steps.of(0)).containsExactlyElementsOf(concat(
                List.of("spin_lock kmap_lock"), pageAddressMiss(m, p0), mapNewVirtual(m, p0, 1, "0xff001000"),
                List.of("spin_unlock kmap_lock", "pkmap_count[1] 1 -> 2")));
    }

    @Test
    void wakeupTestAfterUnlockTestsTheQueueAfterDroppingKmapLock() {
        Machine m = machine(Profile.X86_PAE, Fault.WAKEUP_TEST_AFTER_UNLOCK);
        assertThat(kunmapOfTheOnlyUserOfP0(m)).containsExactlyElementsOf(kunmapOfP0(m,
                "pkmap_count[1] 2 -> 1", "spin_unlock kmap_lock", "waitqueue_active pkmap_map_wait[0] -> 0"));
    }

    @Test
    void unmapToZeroFreesTheSlotWithoutAFlush() {
        Machine m = machine(Profile.X86_PAE, Fault.UNMAP_TO_ZERO);
        assertThat(kunmapOfTheOnlyUserOfP0(m)).containsExactlyElementsOf(kunmapOfP0(m,
                "pkmap_count[1] 2 -> 1", "pkmap_count[1] 1 -> 0", "waitqueue_active pkmap_map_wait[0] -> 0",
                "spin_unlock kmap_lock"));
    }

    @Test
    void flushWithoutLockFlushesWithoutKmapLock() {
        Machine m = machine(Profile.X86_PAE, Fault.FLUSH_WITHOUT_LOCK);
        as(m, 0, cpu -> {
            steps.clear();
            m.pkmap().kmapFlushUnused(cpu);
        });
        assertThat(steps.of(0)).containsExactly("flush_all_zero_pkmaps");
    }

    // ------------------------------------------------------------ the sleep for a free slot

    /**
     * CPU 0 fills the window with p0..p3; CPU 1 asks for p5 and sleeps; once it is asleep CPU 0
     * drops p2's only user, which wakes it. Returns CPU 1's steps from its kmap_lock to its
     * sleep, as the list of all its steps.
     */
    private List<String> sleepForASlot(Machine m) throws InterruptedException {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        as(m, 0, cpu -> {
            for (int k = 0; k < 4; k++) {
                m.pkmap().kmapHigh(cpu, m.highPage(k));
            }
        });
        steps.clear();
        Thread t = Cpus.start(m, 1, errors, cpu -> m.pkmap().kmapHigh(cpu, m.highPage(5)));
        Cpus.await(() -> !m.cpu(1).running() && m.pkmap().getPkmapWaitQueueHead(0).length() == 1);
        as(m, 0, cpu -> {
            m.pkmap().kunmapHigh(cpu, m.highPage(2));
            assertThat(steps.of(0)).containsExactlyElementsOf(concat(List.of("spin_lock kmap_lock"),
                    pageAddressHit(m, m.highPage(2), "0xff003000"),
                    List.of("pkmap_count[3] 2 -> 1", "waitqueue_active pkmap_map_wait[0] -> 1", "spin_unlock kmap_lock",
                            "spin_lock_irqsave pkmap_map_wait[0].lock", "try_to_wake_up kmap/1:101",
                            "spin_unlock_irqrestore pkmap_map_wait[0].lock")));
        });
        Cpus.join(t);
        assertThat(errors).isEmpty();
        return steps.of(1);
    }

    /** CPU 1's steps from taking kmap_lock for p5 until it wakes, given how it goes to sleep. */
    private List<String> sleeperSteps(Machine m, List<String> goingToSleep) {
        Page p5 = m.highPage(5);
        return concat(List.of("spin_lock kmap_lock"), pageAddressMiss(m, p5), List.of("flush_all_zero_pkmaps"),
                goingToSleep,
                List.of("schedule: kmap/1:101 sleeps", "schedule: kmap/1:101 runs again",
                        "spin_lock_irqsave pkmap_map_wait[0].lock", "remove_wait_queue kmap/1:101",
                        "spin_unlock_irqrestore pkmap_map_wait[0].lock", "spin_lock kmap_lock"),
                pageAddressMiss(m, p5),
                List.of("flush_all_zero_pkmaps", "pkmap_count[3] 1 -> 0", "pte_clear pkmap_page_table[3]"),
                setPageAddress(m, m.highPage(2), "NULL"),
                List.of("flush_tlb_kernel_range 0xff000000-0xff004000", "IPI to CPU#0"),
                mapNewVirtual(m, p5, 3, "0xff003000"),
                List.of("pkmap_count[3] 1 -> 2", "spin_unlock kmap_lock"));
    }

    @Test
    void aWaiterSetsItsStateAndQueuesItselfUnderKmapLockThenSleepsAndRechecksAfter() throws Exception {
        Machine m = machine(Profile.X86_PAE);
        assertThat(sleepForASlot(m)).containsExactlyElementsOf(sleeperSteps(m, List.of(
                "set_current_state TASK_UNINTERRUPTIBLE", "spin_lock_irqsave pkmap_map_wait[0].lock",
                "add_wait_queue kmap/1:101", "spin_unlock_irqrestore pkmap_map_wait[0].lock",
                "spin_unlock kmap_lock")));
    }

    @Test
    void stateAfterUnlockDropsKmapLockBeforeTheWaiterIsQueued() throws Exception {
        Machine m = machine(Profile.X86_PAE, Fault.STATE_AFTER_UNLOCK);
        assertThat(sleepForASlot(m)).containsExactlyElementsOf(sleeperSteps(m, List.of(
                "spin_unlock kmap_lock", "set_current_state TASK_UNINTERRUPTIBLE",
                "spin_lock_irqsave pkmap_map_wait[0].lock", "add_wait_queue kmap/1:101",
                "spin_unlock_irqrestore pkmap_map_wait[0].lock")));
    }
}
