package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.Cpus;
import dev.kmapstress.log.Oops;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Tiny;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Both walks of a page_address bucket, the lookup of {@code page_address()} and the removal of
 * {@code set_page_address(page, NULL)}, on a list that two CPUs edited at once (possible only
 * with the bucket lock or kmap_lock broken): a walk that reaches a removed entry faults at
 * LIST_POISON1 as the kernel's load does, and a walk round a loop that never returns to the
 * head spins where the lockup detectors (and the lockup proof) see it, so the machine can be
 * stopped, instead of going round for ever with nothing able to reach it. The lists are
 * corrupted by hand, as such edits leave them.
 */
class CorruptBucketListTest {

    private static MachineConfig.Builder oneCpu() {
        return Tiny.config(Profile.X86_PAE, 1);
    }

    /**
     * Makes the bucket of {@code page} lead into an entry that links to itself, as a
     * list_add_tail of an entry still on the list leaves it (a slot reused before the flush
     * took its entry out), and checks that {@code walk} there is a hard lockup under the bucket
     * lock, at whose report the machine stops it.
     */
    private static void walkRoundALoop(Machine m, BiConsumer<Cpu, Page> walk) {
        Page page = m.highPage(0);
        PageAddressTable.PageAddressMap loop = new PageAddressTable.PageAddressMap();
        loop.page = m.highPage(1);
        m.pageAddressTable().pageSlot(page).lh.next = loop;
        Cpus.assertHardLockupSpinningOn(m, 0, PageAddressTable.ENDLESS_BUCKET, cpu -> walk.accept(cpu, page));
    }

    @Test
    void aRemovalWalkRoundALoopIsAHardLockupUnderTheBucketLock() {
        Machine m = Machine.build(oneCpu().lockupTimeout(Duration.ofMillis(400)).build());
        walkRoundALoop(m, (cpu, page) -> m.pageAddressTable().setPageAddress(cpu, page, 0));
    }

    @Test
    void aLookupRoundALoopIsAHardLockupUnderTheBucketLock() {
        Machine m = Machine.build(oneCpu().lockupTimeout(Duration.ofMillis(400)).build());
        walkRoundALoop(m, (cpu, page) -> m.pageAddressTable().pageAddress(cpu, page));
    }

    /**
     * A walk round a loop never ends, so the lockup proof reports it long before a threshold
     * beyond the test's deadline (here no other CPU exists that could end it).
     */
    @Test
    void withTheLockupProofARemovalWalkRoundALoopIsReportedWithoutTheThreshold() {
        Machine m = Machine.build(oneCpu().lockupTimeout(Duration.ofMinutes(30)).lockupProof(true).build());
        walkRoundALoop(m, (cpu, page) -> m.pageAddressTable().setPageAddress(cpu, page, 0));
    }

    /**
     * The removal walk reads each entry as the lookup does: a link left pointing at an entry
     * that list_del has poisoned (as a list_add racing that list_del leaves it) takes the walk
     * to LIST_POISON1, where the kernel faults.
     */
    @Test
    void aRemovalWalkThatReachesARemovedEntryFaultsAtListPoison1() {
        Machine m = Tiny.x86(1);
        PageAddressTable table = m.pageAddressTable();
        Page removed = m.highPage(0);
        Page sought = m.highPage(1);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            table.setPageAddress(cpu, removed, m.layout().pkmapAddr(1));
            PageAddressTable.PageAddressMap stale = table.pageSlot(removed).lh.next;
            table.setPageAddress(cpu, removed, 0);
            table.pageSlot(sought).lh.next = stale;
            assertThatThrownBy(() -> table.setPageAddress(cpu, sought, 0)).isInstanceOfSatisfying(Oops.class, oops -> {
                assertThat(oops.kind()).isEqualTo(ReportKind.PAGE_FAULT);
                assertThat(oops.report().lines()).contains("BUG: unable to handle page fault for address: 00000100");
            });
        }
    }
}
