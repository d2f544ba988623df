package dev.kmapstress.machine;

import dev.kmapstress.settings.ConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.fault.Fault;
import org.junit.jupiter.api.Test;

class MachineConfigTest {

    @Test
    void profileDefaultsComeFromTheProfile() {
        MachineConfig pae = MachineConfig.of(Profile.X86_PAE);
        MachineConfig np = MachineConfig.of(Profile.X86_4G);
        assertThat(pae.lastPkmap()).isEqualTo(512);
        assertThat(np.lastPkmap()).isEqualTo(1024);
        assertThat(pae.highmemPages()).isEqualTo(1024);
        assertThat(MachineConfig.of(Profile.ALIASING_CACHE).colours()).isEqualTo(4);
        assertThat(pae.faults()).isEmpty();
        assertThat(pae.lock()).as("x86 6.1 spinlocks are qspinlocks").isEqualTo("qspinlock");
    }

    @Test
    void lastPkmapMustBeAPowerOfTwoAndSaysWhy() {
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).lastPkmap(6).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("last-pkmap=6")
                .hasMessageContaining("power of two from 2 to 512")
                .hasMessageContaining("LAST_PKMAP - 1");
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).lastPkmap(1024).build())
                .hasMessageContaining("last-pkmap=1024");
        assertThat(MachineConfig.builder(Profile.X86_4G).lastPkmap(1024).build().lastPkmap()).isEqualTo(1024);
    }

    @Test
    void cpusAreBoundedByNrCpus() {
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).cpus(33).build())
                .hasMessage("cpus=33: must be 1..32 (CONFIG_NR_CPUS of profile x86-pae)");
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).cpus(0).build())
                .hasMessageStartingWith("cpus=0");
    }

    @Test
    void unknownLockListsTheKnownOnes() {
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).lock("nope").build())
                .hasMessageStartingWith("lock=nope: unknown lock strategy; known: ")
                .hasMessageContaining("ticket").hasMessageContaining("reentrant");
    }

    @Test
    void keyValueSettingsParseAndRefuseWithTheirName() {
        MachineConfig c = MachineConfig.builder(Profile.X86_PAE).set("profile", "x86-4g")
                .set("cpus", "4").set("last-pkmap", "16").set("fault", "no_tlb_flush,WAKE-ONE")
                .build();
        assertThat(c.profile()).isEqualTo(Profile.X86_4G);
        assertThat(c.cpus()).isEqualTo(4);
        assertThat(c.lastPkmap()).isEqualTo(16);
        assertThat(c.faults()).containsExactlyInAnyOrder(Fault.NO_TLB_FLUSH, Fault.WAKE_ONE);
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).set("cpu", "2"))
                .hasMessageStartingWith("unknown setting 'cpu'; known: profile, cpus");
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).set("cpus", "two"))
                .hasMessage("cpus=two: must be a whole number");
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).set("fault", "BOGUS"))
                .hasMessageStartingWith("fault=BOGUS: unknown fault 'BOGUS'; known: UNLOCKED_ADDRESS_LOOKUP");
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).set("profile", "sparc"))
                .hasMessageContaining("known: x86-pae, x86-4g, arm-like, aliasing-cache");
    }

    @Test
    void coloursNeedTwoSlotsEach() {
        assertThatThrownBy(() -> MachineConfig.builder(Profile.ALIASING_CACHE).lastPkmap(4).build())
                .hasMessageStartingWith("colours=4");
        assertThat(MachineConfig.builder(Profile.ALIASING_CACHE).lastPkmap(8).build().colours()).isEqualTo(4);
    }

    @Test
    void ipiDeadlockFaultNeedsAnIpiProfile() {
        assertThatThrownBy(() -> MachineConfig.builder(Profile.ARM_LIKE)
                .fault(Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH).build())
                .hasMessageContaining("broadcasts in hardware");
    }

    @Test
    void toBuilderRoundTripsEverySetting() {
        MachineConfig c = Tiny.config(Profile.ARM_LIKE, 3, Fault.WAKE_ONE).statistics(false).build();
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
        assertThat(c.toString()).contains("profile=arm-like", "cpus=3", "fault=WAKE_ONE", "statistics=false");
    }
}
