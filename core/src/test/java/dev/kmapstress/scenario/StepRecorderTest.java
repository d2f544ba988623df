package dev.kmapstress.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepRecorderTest {

    private final Machine m = Machine.build(MachineConfig.builder(Profile.X86_PAE).cpus(2).lastPkmap(4)
            .highmemPages(8).build());
    private final StepRecorder rec = new StepRecorder(2, 4);
    private final List<String> results = new ArrayList<>();

    @Test
    void aRecordedRunReplaysAsAScriptWithTheSameResults() {
        Page p0 = m.highPage(0);
        long va;
        try (Cpu.Scope s = m.cpu(0).enter()) {
            rec.record(0, Op.KMAP, p0);
            va = m.highmem().kmap(s.cpu(), p0);
            results.add(Script.hex(va));
            rec.recordWrite(0, va, 1, 0x5a);
            m.mmu().write(s.cpu(), va, 1, 0x5a);
            rec.record(0, Op.KMAP_LOCAL_PAGE, m.lowPage(3));
            results.add(Script.hex(m.kmapLocal().kmapLocalPage(s.cpu(), m.lowPage(3))));
        }
        try (Cpu.Scope s = m.cpu(1).enter()) {
            rec.recordRead(1, va, 1);
            results.add(Script.hex(m.mmu().read(s.cpu(), va, 1)));
            rec.note(1, "copy_highpage p1 p2");
            rec.record(1, Op.KMAP_FLUSH_UNUSED);
            m.pkmap().kmapFlushUnused(s.cpu());
        }

        String script = rec.toScript(m.config(), 42);
        assertThat(script).startsWith("# seed 42: the last 4 steps of cpu0, cpu1, in the order they started\n")
                .contains("\nmachine profile=x86-pae cpus=2 highmem-pages=8 lowmem-pages=16 last-pkmap=4 ")
                .endsWith("cpu0 kmap p0\ncpu0 write 0xff001000 1 0x0000005a\ncpu0 kmap_local_page l3\n"
                        + "cpu1 read 0xff001000 1\n# cpu1: copy_highpage p1 p2\ncpu1 kmap_flush_unused\n");
        Scenarios.Run replay = Scenarios.run(script);
        assertThat(replay.result().passed()).isTrue();
        assertThat(replay.out()).isEqualTo("cpu0 kmap p0 = " + results.get(0) + "\n"
                + "cpu0 write 0xff001000 1 0x0000005a = ok\n"
                + "cpu0 kmap_local_page l3 = " + results.get(1) + "\n"
                + "cpu1 read 0xff001000 1 = " + results.get(2) + "\n"
                + "cpu1 kmap_flush_unused = ok\n");
    }

    @Test
    void keepsOnlyTheLastStepsOfEachCpuAndCanNameSome() {
        for (int k = 0; k < 6; k++) {
            rec.record(0, Op.KMAP, m.highPage(k));
        }
        rec.record(1, Op.TASK, "t1");
        rec.record(1, Op.KUNMAP_LOCAL, 0xfffab000L);
        assertThat(rec.lastSteps(0)).containsExactly("cpu0 kmap p2", "cpu0 kmap p3", "cpu0 kmap p4", "cpu0 kmap p5");
        assertThat(rec.lastSteps(1)).containsExactly("cpu1 task t1", "cpu1 kunmap_local 0xfffab000");
        assertThat(rec.toScript(m.config(), 7, 1)).contains("the last 4 steps of cpu1,")
                .doesNotContain("cpu0 kmap");
    }

    @Test
    void aStepRecordedWithTheWrongArgumentsIsRefused() {
        assertThatThrownBy(() -> rec.record(0, Op.KMAP, 0xff001000L))
                .hasMessage("'kmap' takes a page pK or lK; record it with the matching method");
        assertThatThrownBy(() -> rec.record(0, Op.READ))
                .hasMessageStartingWith("'read' takes an address in hex (0x...), a word index;");
        assertThatThrownBy(() -> new StepRecorder(0, 4)).hasMessageContaining("cpus=0");
    }
}
