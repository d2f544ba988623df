package dev.kmapstress.kernelcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.machine.Profile;
import dev.kmapstress.scenario.Script;
import dev.kmapstress.scenario.ScriptParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A scenario as the kernel module takes it: encoding, what it refuses, other profiles. */
class KernelScriptTest {

    static Script parse(String text) {
        return ScriptParser.parse("t.scenario", text, List.of());
    }

    @Test
    void encodesStepsAndChecksAndSkipsLogChecks() {
        KernelScript ks = KernelScript.of(parse("""
                machine profile=x86-pae cpus=2 last-pkmap=4 highmem-pages=8
                expect cpu0 kmap p0 = 0xff001000
                cpu1 write 0xff001000 3 0xa0
                expect page_address p0 = 0xff001000
                cpu1 read 0xff001000 3
                cpu0 kunmap_local top
                expect log none
                cpu1 wait
                """));
        assertThat(ks.flavour()).isEqualTo("686-pae");
        assertThat(ks.lines()).hasSize(6);
        assertThat(ks.moduleParameters()).isEqualTo("cpus=2 highmem_pages=8 lowmem_pages=16"
                + " window=4 steps=\"0 kmap p0;1 write ff001000 3 a0;- page_address p0;"
                + "1 read ff001000 3;0 kunmap_local top;1 wait\"" + System.lineSeparator());
        assertThat(ks.echo(0)).isEqualTo("cpu0 kmap p0");
        assertThat(ks.echo(2)).isEqualTo("page_address p0");
    }

    @Test
    void refusesWhatAModuleCannotDoNamingTheLine() {
        StringBuilder forks = new StringBuilder("machine profile=x86-pae cpus=2\n");
        for (int i = 0; i < 31; i++) {
            forks.append("cpu0 fork t").append(i).append('\n');
        }
        assertThatThrownBy(() -> KernelScript.of(parse(forks.toString())))
                .isInstanceOf(KernelCheckException.class)
                .hasMessageContaining("33 tasks: the module runs at most 32");
        assertThatThrownBy(() -> KernelScript.of(parse("""
                machine profile=x86-pae cpus=2
                cpu0 kmap p0 until spin_unlock kmap_lock
                """))).hasMessageContaining("t.scenario:2: 'until'");
        assertThatThrownBy(() -> KernelScript.of(parse("machine profile=arm-like cpus=2\n")))
                .hasMessageContaining("profile arm-like has no Debian i386 kernel");
    }

    @Test
    void retargetMovesPkmapAddressesToTheSameSlotAndKeepsAnExplicitWindow() {
        Script s = KernelScript.retarget(parse("""
                machine profile=x86-pae cpus=2 last-pkmap=4 highmem-pages=8
                cpu1 write 0xff001000 0 0xa0
                cpu0 kunmap_local 0xfffbb000
                """), Profile.X86_4G, null);
        assertThat(s.config().profile()).isEqualTo(Profile.X86_4G);
        assertThat(s.config().lastPkmap()).isEqualTo(4);
        assertThat(s.config().highmemPages()).isEqualTo(8);
        KernelScript ks = KernelScript.of(s);
        assertThat(ks.flavour()).isEqualTo("686");
        assertThat(ks.echo(0)).isEqualTo("cpu1 write 0xfec01000 0 0x000000a0");
        assertThat(ks.echo(1)).isEqualTo("cpu0 kunmap_local 0xfffbb000");
    }

    @Test
    void retargetKeepsTheProfilesOwnWindowWhenTheScriptLeftItToTheProfile() {
        Script s = KernelScript.retarget(parse("machine profile=x86-pae cpus=2 highmem-pages=8\n"),
                Profile.X86_4G, 3);
        assertThat(s.config().lastPkmap()).isEqualTo(Profile.X86_4G.lastPkmap());
        assertThat(s.config().cpus()).isEqualTo(3);
    }
}
