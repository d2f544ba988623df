package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.cli.Main;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Tiny;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * kmap_local address arithmetic: slot {@code FIX_KMAP_BEGIN + i + KM_MAX_IDX*cpu} at
 * {@code FIXADDR_TOP - slot*PAGE_SIZE}, for both KM_MAX_IDX values, CPU 0 and the last CPU of
 * each profile. The x86 figures are the addresses the real 6.1 kernels returned
 * ({@code examples/boot/README.md}); the others are worked out by hand from that formula.
 */
class KmapLocalAddressTest {

    /** The first and the nested kmap_local address on {@code cpu} of a machine of {@code b}. */
    private static long[] firstTwo(MachineConfig.Builder b, int cpu) {
        Machine m = Machine.build(b.build());
        try (Cpu.Scope s = m.cpu(cpu).enter()) {
            KmapLocal kl = m.kmapLocal();
            long first = kl.kmapLocalPage(s.cpu(), m.highPage(0));
            long nested = kl.kmapLocalPage(s.cpu(), m.highPage(1));
            m.mmu().write(s.cpu(), nested, 0, 5);
            assertThat(m.mmu().peek(m.highPage(1), 0)).as("the nested slot maps p1").isEqualTo(5);
            kl.kunmapLocal(s.cpu(), nested);
            kl.kunmapLocal(s.cpu(), first);
            return new long[] {first, nested};
        }
    }

    private static MachineConfig.Builder tiny(Profile p, int cpus) {
        return Tiny.config(p, cpus);
    }

    @Test
    void x86ProfilesGiveTheMeasuredAddressesOnCpu0AndCpu1() {
        for (Profile p : new Profile[] {Profile.X86_PAE, Profile.X86_4G}) {
            assertThat(firstTwo(tiny(p, 2), 0)).as(p.id()).containsExactly(0xfffb_b000L, 0xfffb_a000L);
            assertThat(firstTwo(tiny(p, 2), 1)).as(p.id()).containsExactly(0xfffa_b000L, 0xfffa_a000L);
        }
    }

    @Test
    void lastCpuOfX86UsesTheBottomOfTheFixKmapRange() {
        // CPU 31: entries 68 + 16*31 = 564 and 565.
        assertThat(firstTwo(tiny(Profile.X86_PAE, 32), 31)).containsExactly(0xffdc_b000L, 0xffdc_a000L);
    }

    @Test
    void debugKmapLocalStepsByTwoThrough33EntriesPerCpu() {
        // Entry 68 + 1 (stack index 1; index 0 is a guard) and 68 + 3.
        assertThat(firstTwo(tiny(Profile.X86_PAE, 2).debugKmapLocal(true), 0))
                .containsExactly(0xfffb_a000L, 0xfffb_8000L);
        // CPU 1: 68 + 33 + 1 = 102.
        assertThat(firstTwo(tiny(Profile.X86_4G, 2).debugKmapLocal(true), 1))
                .containsExactly(0xfff9_9000L, 0xfff9_7000L);
        // CPU 31: 68 + 33*31 + 1 = 1092.
        assertThat(firstTwo(tiny(Profile.X86_PAE, 32).debugKmapLocal(true), 31))
                .containsExactly(0xffbb_b000L, 0xffbb_9000L);
    }

    @Test
    void layoutAndPageTableFollowTheDebugSetting() {
        Machine plain = Tiny.x86(3);
        Machine debug = Machine.build(Tiny.config(Profile.X86_PAE, 3).debugKmapLocal(true).build());
        assertThat(plain.layout().kmMaxIdx()).isEqualTo(16);
        assertThat(debug.layout().kmMaxIdx()).isEqualTo(33);
        assertThat(debug.layout().fixKmapEnd()).isEqualTo(68 + 33 * 32 - 1);
        assertThat(plain.pageTable().slots()).isEqualTo(4 + 16 * 3);
        assertThat(debug.pageTable().slots()).isEqualTo(4 + 33 * 3);
        // The last entry of CPU 2 is a slot of the table; the one after is not.
        long last = debug.layout().fixToVirt(68 + 33 * 3 - 1);
        assertThat(debug.pageTable().index(last)).isEqualTo(4 + 33 * 3 - 1);
        assertThat(debug.pageTable().index(last - 0x1000)).isEqualTo(-1);
    }

    @Test
    void armLikeProfileCountsFromItsOwnFixmapTop() {
        // FIXADDR_TOP 0xffeff000, FIX_KMAP_BEGIN 1: CPU 0 at entry 1; CPU 15 at 1 + 16*15 = 241.
        assertThat(firstTwo(tiny(Profile.ARM_LIKE, 2), 0)).containsExactly(0xffef_e000L, 0xffef_d000L);
        assertThat(firstTwo(tiny(Profile.ARM_LIKE, 16), 15)).containsExactly(0xffe0_e000L, 0xffe0_d000L);
    }

    @Test
    void forceMapSelectsDebugAndIsRefusedWhereTheArchCannotAlias() {
        MachineConfig c = Tiny.config(Profile.X86_PAE, 2).forceMap(true).build();
        assertThat(c.debugKmapLocal()).as("Kconfig: FORCE_MAP selects DEBUG_KMAP_LOCAL").isTrue();
        assertThat(c.asKeyValues()).containsEntry("debug-kmap-local", "true").containsEntry("force-map", "true");
        assertThat(MachineConfig.builder(Profile.X86_PAE).set("debug-kmap-local", "on").build()
                .debugKmapLocal()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Tiny.config(Profile.ARM_LIKE, 2).set("force-map", "true").build())
                .hasMessageStartingWith("force-map=true: must be false on arm-like");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Tiny.config(Profile.X86_PAE, 2).set("debug-kmap-local", "maybe"))
                .hasMessage("debug-kmap-local=maybe: must be true or false (or yes/no, on/off)");
    }

    @Test
    void infoShowsThePerCpuRangesOfTheDebugLayout() {
        StringWriter out = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("info", "--set", "debug-kmap-local=true")).isZero();
        assertThat(out.toString()).contains("KM_MAX_IDX 33\n", "FIX_KMAP_END 1123\n",
                "debug-kmap-local yes (KM_INCR 2", "force-map no\n",
                "kmap_local cpu0 FIX_KMAP 68..100 0xfffbb000..0xfff9b000\n",
                "kmap_local cpu1 FIX_KMAP 101..133 0xfff9a000..0xfff7a000\n");
    }
}
