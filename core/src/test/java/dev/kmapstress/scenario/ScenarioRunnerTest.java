package dev.kmapstress.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The runner's rules: blocking, waiting, pausing, refusals, checks, and where a run stops. */
class ScenarioRunnerTest {

    private static final String TINY = "machine cpus=2 last-pkmap=4 highmem-pages=8\n";
    private static final String FULL_WINDOW = TINY + "cpu0 kmap p0\ncpu0 kmap p1\ncpu0 kmap p2\ncpu0 kmap p3\n";

    private static Scenarios.Run run(String text, String... settings) {
        return Scenarios.run(text, settings);
    }

    private static void assertFails(Scenarios.Run run, int line, String what) {
        assertThat(run.result().passed()).isFalse();
        assertThat(run.result().exitCode()).isEqualTo(1);
        assertThat(run.result().line()).isEqualTo(line);
        assertThat(run.result().failure()).startsWith("test.scenario:" + line + ": ").endsWith(what);
    }

    @Test
    void aFailedExpectStopsTheRunAndSaysWhatWasSeen() {
        Scenarios.Run run = run(TINY + "expect cpu0 kmap p0 = 0xff002000\ncpu0 kmap p1\n");
        assertFails(run, 2, "expect cpu0 kmap p0 = 0xff002000: saw 0xff001000");
        assertThat(run.out()).isEqualTo("cpu0 kmap p0 = 0xff001000\n");
    }

    @Test
    void theSecondPassFunctionsRunAsSteps() {
        Scenarios.Run run = run(TINY + "expect cpu0 kmap_local_pfn p3 = 0xfffbb000\n"
                + "expect cpu0 kmap_atomic_pfn p4 = 0xfffba000\nexpect cpu0 kunmap_atomic top = ok\n"
                + "expect cpu0 kunmap_local top = ok\nexpect cpu0 kmap_assert_nomap = ok\n"
                + "expect cpu1 nr_free_highpages = 0x8\nexpect log none\n");
        assertThat(run.result().failure()).isNull();
    }

    /** A folio's byte offset picks the page (the folio's pages are consecutive pfns) and the byte in it. */
    @Test
    void kmapLocalFolioAndKmapAtomicProtRunAsSteps() {
        Scenarios.Run run = run(TINY + "expect cpu0 kmap_local_folio p3 0x1010 = 0xfffbb010\n"
                + "cpu0 write 0xfffbb000 4 0x2a\nexpect cpu0 kunmap_local top = ok\n"
                + "expect cpu0 kmap_atomic_prot p4 0x163 = 0xfffbb000\nexpect cpu0 read 0xfffbb000 4 = 0x2a\n"
                + "expect cpu0 kunmap_atomic top = ok\nexpect log none\n");
        assertThat(run.result().failure()).as(run.out()).isNull();
    }

    @Test
    void aSleepingKmapLeavesItsCpuBlockedAndTheOthersGoOn() {
        Scenarios.Run run = run(FULL_WINDOW + "expect cpu1 kmap p4 = blocked\n"
                + "expect cpu0 page_address p0 = 0xff001000\nexpect cpu0 kunmap p0 = ok\n"
                + "expect cpu1 wait = 0xff001000\nexpect cpu1 kunmap p4 = ok\n");
        assertThat(run.result().failure()).isNull();
    }

    @Test
    void aCpuThatNothingWokeCannotBeWaitedFor() {
        assertFails(run(FULL_WINDOW + "cpu1 kmap p4\ncpu1 wait\n"), 7, "cpu1 wait: cpu1 cannot proceed:"
                + " task kmap/1:101 sleeps in TASK_UNINTERRUPTIBLE (since line 6) and nothing woke it");
    }

    @Test
    void aBlockedCpuTakesNoOtherStep() {
        assertFails(run(FULL_WINDOW + "cpu1 kmap p4\ncpu1 kmap p5\n"), 7,
                "cpu1 kmap p5: cpu1 is blocked since line 6: only 'cpu1 wait' continues it");
    }

    @Test
    void waitNeedsABlockedOrPausedCpu() {
        assertFails(run(TINY + "cpu1 wait\n"), 2, "cpu1 wait: cpu1 is not blocked or paused: nothing to wait for");
    }

    @Test
    void aStepPausesAfterItsUntilAndAWaitCanPauseItAgain() {
        Scenarios.Run run = run(TINY + "expect cpu0 kmap p0 until spin_lock kmap_lock = paused\n"
                + "expect cpu0 wait until map_new_virtual = paused\n"
                + "expect page_address p0 = 0xff001000\n"
                + "expect cpu0 wait = 0xff001000\n");
        assertThat(run.result().failure()).isNull();
        assertThat(run.out()).contains("cpu0 wait until map_new_virtual = paused\n");
    }

    @Test
    void anUntilThatIsNeverReachedFailsTheRun() {
        assertFails(run(TINY + "cpu0 kmap p0 until flush_all_zero_pkmaps\n"), 2,
                "cpu0 kmap p0 until flush_all_zero_pkmaps: the step ended without reaching 'flush_all_zero_pkmaps'");
    }

    @Test
    void untilMatchesWholeWordsOfATraceLine() {
        assertThat(Stepper.startsWithWords("page_address p0 -> NULL", "page_address")).isTrue();
        assertThat(Stepper.startsWithWords("page_address_map p0 0xff001000", "page_address")).isFalse();
        assertThat(Stepper.startsWithWords("spin_lock kmap_lock", "spin_lock kmap_lock extra")).isFalse();
    }

    @Test
    void aStepTheModelRefusesFailsTheRunWithTheModelsReason() {
        assertFails(run(TINY + "cpu0 local_irq_disable\ncpu0 irq_enter\n"), 3, "cpu0 irq_enter: cannot be done:"
                + " CPU 0 has IRQs disabled: an interrupt cannot be delivered until local_irq_enable()");
    }

    @Test
    void aFlushWaitsForACpuWhoseIrqsAreOffUntilItEnablesThem() {
        Scenarios.Run run = run(TINY + "cpu1 local_irq_disable\n"
                + "expect cpu0 flush_tlb_all = blocked\n"
                + "expect cpu1 local_irq_enable = ok\n"
                + "expect cpu0 wait = ok\n", "lockup-timeout-ms=60000");
        assertThat(run.result().failure()).isNull();
    }

    @Test
    void aCpuSpinningOnALockThatAPausedCpuHoldsCannotProceed() {
        assertFails(run(TINY + "cpu0 kmap p0 until map_new_virtual\ncpu1 kmap p1\ncpu1 wait\n",
                "lockup-timeout-ms=60000"), 4, "cpu1 wait: cpu1 cannot proceed: it spins waiting for"
                + " kmap_lock held by CPU#0 (since line 3)");
    }

    @Test
    void aLockLeftHeldByAnOopsBlocksEveryCpuThatAsksForIt() {
        assertFails(run(TINY + "expect cpu1 kunmap p5 = oops\nexpect cpu0 kmap p0 = blocked\ncpu0 wait\n",
                "lockup-timeout-ms=60000"), 4,
                "cpu0 wait: cpu0 cannot proceed: it spins waiting for kmap_lock held by CPU#1 (since line 3)");
    }

    @Test
    void aStepOnACpuWhoseTaskOopsedNamesTheOopsAndItsLine() {
        Scenarios.Run run = run(TINY + "expect cpu1 kunmap p5 = oops\ncpu1 kmap p0\n");
        assertFails(run, 3, "cpu1 kmap p0: cpu1's task kmap/1 died in the oops at line 2 (kernel BUG at"
                + " mm/highmem.c:358!): only 'cpu1 task NAME' (another task) can run on cpu1 after it");
        // The dead task still holds kmap_lock (preemption off): the scheduler cannot switch away.
        assertFails(run(TINY + "expect cpu1 kunmap p5 = oops\nexpect cpu1 task t2 = refused\ncpu1 wait\n"),
                4, "cpu1 wait: cpu1's task kmap/1 died in the oops at line 2 (kernel BUG at"
                + " mm/highmem.c:358!): only 'cpu1 task NAME' (another task) can run on cpu1 after it");
    }

    @Test
    void anotherTaskRunsOnACpuAfterAnOopsThatHeldNothing() {
        Scenarios.Run run = run(TINY + "expect cpu1 read 0xff001000 0 = oops\nexpect cpu1 task t2 = ok\n"
                + "expect cpu1 kmap p0 = 0xff001000\nexpect log PAGE_FAULT\n");
        assertThat(run.result().failure()).isNull();
    }

    @Test
    void aStepThatOopsesWithoutAnExpectFailsTheScript() {
        Scenarios.Run run = run(TINY + "cpu1 kunmap p5\ncpu0 kmap p0\n");
        assertFails(run, 2, "cpu1 kunmap p5: the step oopsed (kernel BUG at mm/highmem.c:358!) and no"
                + " 'expect' says it should: write 'expect cpu1 kunmap p5 = oops' if it must");
        assertThat(run.out()).isEqualTo("cpu1 kunmap p5 = oops\nkernel BUG at mm/highmem.c:358!\n");
    }

    @Test
    void pageAddressChecksAskAnIdleCpuAndPrintNothing() {
        Scenarios.Run run = run(TINY + "cpu0 kmap p0\nexpect page_address p0 = 0xff001000\n"
                + "expect page_address l3 = 0xc0003000\nexpect page_address p1 = 0xff002000\n");
        assertFails(run, 5, "expect page_address p1 = 0xff002000: saw NULL");
        assertThat(run.out()).isEqualTo("cpu0 kmap p0 = 0xff001000\n");
    }

    @Test
    void aPageAddressCheckNeedsAnIdleCpu() {
        assertFails(run("machine cpus=1 last-pkmap=4\ncpu0 kmap p0 until map_new_virtual\n"
                + "expect page_address p0 = NULL\n"), 3, "every CPU is blocked or paused: none can look the page up");
    }

    @Test
    void logChecksCountReportsByKind() {
        String warn = TINY + "cpu0 kmap p0\ncpu0 kmap_to_page 0xff001000\n";
        assertThat(run(warn + "expect log WARNING\n").result().passed()).isTrue();
        assertFails(run(warn + "expect log none\n"), 4, "expect log none: the log has 1 report(s): {WARNING=1}");
        assertFails(run(warn + "expect log BUG\n"), 4, "expect log BUG: the log has no BUG report; it has {WARNING=1}");
    }

    @Test
    void reportsFollowTheStepThatCausedThemAndAnOopsIsTheStepsResult() {
        Scenarios.Run run = run(TINY + "cpu0 local_irq_disable\nexpect cpu0 kmap p0 = 0xff001000\n"
                + "cpu0 local_irq_enable\nexpect cpu1 kunmap p5 = oops\nexpect log BUG\n");
        assertThat(run.result().failure()).isNull();
        assertThat(run.out()).isEqualTo("cpu0 local_irq_disable = ok\n"
                + "cpu0 kmap p0 = 0xff001000\n"
                + "BUG: sleeping function called from invalid context at include/linux/highmem-internal.h:44\n"
                + "cpu0 local_irq_enable = ok\n"
                + "cpu1 kunmap p5 = oops\n"
                + "kernel BUG at mm/highmem.c:358!\n");
    }

    @Test
    void withTraceTheInternalStepsAndTheWholeReportAreIndentedUnderTheStep() {
        Scenarios.Run run = Scenarios.run("t", TINY + "cpu1 kunmap p5\n", true);
        assertThat(run.out()).startsWith("cpu1 kunmap p5 = oops\n    spin_lock kmap_lock\n")
                .contains("\nkernel BUG at mm/highmem.c:358!\n    invalid opcode: 0000 [#1] PREEMPT SMP\n");
    }

    @Test
    void kmapHighGetPinsOnlyAnExistingMapping() {
        Scenarios.Run run = run("machine profile=arm-like cpus=2 last-pkmap=4\n"
                + "expect cpu1 kmap_high_get p0 = NULL\n"
                + "expect cpu0 kmap p0 = 0xbfe01000\n"
                + "expect cpu1 kmap_high_get p0 = 0xbfe01000\n"
                + "expect cpu1 kunmap p0 = ok\nexpect cpu0 kunmap p0 = ok\nexpect log none\n");
        assertThat(run.result().failure()).isNull();
    }

    @Test
    void topIsTheCurrentTasksTopMappingAndAnEmptyStackHasNone() {
        assertThat(run(TINY + "cpu0 kmap_local_page p0\ncpu0 kmap_local_page p1\n"
                + "expect cpu0 kunmap_local top = ok\nexpect log none\n"
                + "expect cpu0 kunmap_local top = ok\nexpect log none\n").result().passed()).isTrue();
        assertFails(run(TINY + "cpu0 kunmap_local top\n"), 2,
                "cpu0 kunmap_local top: cannot be done: 'top': the kmap_local stack of kmap/0:100 on cpu0 is empty");
    }

    @Test
    void forkMakesANewTaskWithAnEmptyStackThatRunsOnceSwitchedTo() {
        // Forking while the parent holds a kmap_local mapping is kmap_local_fork()'s WARNING.
        Scenarios.Run run = run(TINY + "cpu0 kmap_local_page p0\ncpu0 write 0xfffbb000 0 0xa0\n"
                + "expect cpu0 fork child = ok\nexpect cpu0 task child = ok\n"
                + "expect cpu0 kmap_local_page p1 = 0xfffbb000\ncpu0 write 0xfffbb000 0 0xc1\n"
                + "expect cpu0 kunmap_local top = ok\nexpect cpu0 task kmap/0 = ok\n"
                + "expect cpu0 read 0xfffbb000 0 = 0x000000a0\nexpect log WARNING\ncpu0 fork child\n");
        assertFails(run, 12, "cpu0 fork child: cannot be done: a task named 'child' exists already");
    }

    @Test
    void aTaskRunningOnAnotherCpuCannotBeSwitchedTo() {
        assertFails(run(TINY + "cpu0 task kmap/1\n"), 2,
                "cpu0 task kmap/1: cannot be done: task kmap/1:101 is running on CPU 1; CPU#0 cannot switch to it");
    }
}
