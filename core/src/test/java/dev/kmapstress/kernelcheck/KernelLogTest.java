package dev.kmapstress.kernelcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The serial console read back into the scenario format, by the documented rules. */
class KernelLogTest {

    private final KernelScript script = KernelScript.of(KernelScriptTest.parse("""
            machine profile=x86-pae cpus=2 highmem-pages=8
            cpu0 kmap p3
            cpu0 kmap_to_page 0xff004000
            expect cpu1 read 0xff001000 0 = oops
            cpu0 kmap p4
            cpu0 kmap p5
            """));

    @Test
    void reportsFollowTheirStepAndCaughtFaultsReadAsX86Reports() {
        String serial = """
                Linux version 6.1.0-57-686-pae ...
                WARNING: CPU: 1 PID: 1 at somewhere_else+0x1/0x2
                KCHECK prologue: slots 1..511 free, 512..511 held, last_pkmap_nr 0
                KCHECK start 5 steps on 2 CPUs
                KCHECK step 0 = 0xff004000
                ------------[ cut here ]------------
                WARNING: CPU: 0 PID: 86 at mm/highmem.c:162 __kmap_to_page+0x4c/0x1a0
                Modules linked in: kcheck(OE)
                CPU: 0 PID: 86 Comm: kmap/0 Tainted: G           OE      6.1.0-57-686-pae #1
                KCHECK step 1 = p3
                KCHECK fault ff001000\r
                [    3.141592] KCHECK step 2 = oops
                KCHECK step 3 = blocked
                KCHECK step 4 cannot: cpu0 is blocked
                KCHECK end stopped
                reboot: Power down
                """;
        KernelLog.Run run = KernelLog.read(serial, script);
        assertThat(run.finished()).isTrue();
        assertThat(run.lines()).containsExactly(
                "cpu0 kmap p3 = 0xff004000",
                "cpu0 kmap_to_page 0xff004000 = p3",
                "WARNING: CPU: 0 PID: N at mm/highmem.c:162 __kmap_to_page",
                "cpu1 read 0xff001000 0 = oops",
                "BUG: unable to handle page fault for address: ff001000",
                "cpu0 kmap p4 = blocked",
                "# stopped at line 6: cpu0 kmap p5");
    }

    @Test
    void aFaultNoExpectAllowsEndsTheOutputAsTheScenarioLanguageEndsTheModels() {
        KernelScript s = KernelScript.of(KernelScriptTest.parse("""
                machine profile=x86-pae cpus=2 highmem-pages=8
                cpu1 read 0xff001000 0
                cpu0 kmap p0
                """));
        KernelLog.Run run = KernelLog.read("KCHECK start 2 steps\nKCHECK fault ff001000\n"
                + "KCHECK step 0 = oops\nKCHECK step 1 = 0xff001000\nKCHECK end done\n", s);
        assertThat(run.finished()).isTrue();
        assertThat(run.lines()).containsExactly("cpu1 read 0xff001000 0 = oops",
                "BUG: unable to handle page fault for address: ff001000",
                "# stopped at line 2: cpu1 read 0xff001000 0");
    }

    @Test
    void aRunCutShortIsNotFinished() {
        KernelLog.Run run = KernelLog.read("KCHECK start 5 steps\nKCHECK step 0 = 0xff004000\n", script);
        assertThat(run.finished()).isFalse();
        assertThat(run.lines()).containsExactly("cpu0 kmap p3 = 0xff004000");
    }

    @Test
    void moduleErrorsAndAModuleThatNeverStartedAreBadInput() {
        assertThatThrownBy(() -> KernelLog.read("KCHECK error: prologue: slot 3 returned twice\n", script))
                .isInstanceOf(KernelCheckException.class).hasMessageContaining("slot 3 returned twice");
        assertThatThrownBy(() -> KernelLog.read("Kernel panic - not syncing: VFS\n", script))
                .isInstanceOf(KernelCheckException.class).hasMessageContaining("Kernel panic");
        assertThatThrownBy(() -> KernelLog.read("KCHECK start 1\nKCHECK step 9 = ok\n", script))
                .hasMessageContaining("step 9 of a script of 5");
    }
}
