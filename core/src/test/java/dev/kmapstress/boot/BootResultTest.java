package dev.kmapstress.boot;

import static dev.kmapstress.boot.BootProfile.X86_PAE;
import static dev.kmapstress.boot.TestMaps.GB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmapstress.machine.MachineConfig;
import org.junit.jupiter.api.Test;

/** The boot's facts as a machine configuration, as JSON, and as kmap-stress's own section. */
class BootResultTest {

    @Test
    void aBootThatFitsConfiguresTheMachineAsIs() {
        BootResult r = TestMaps.boot(X86_PAE, 2 * GB, "");

        BootMachine m = r.toMachineConfig();
        MachineConfig config = m.builder().build();

        assertThat(m.scaled()).isFalse();
        assertThat(config.highmemPages()).isEqualTo(0x7ffe0 - 0x36ffe);
        assertThat(config.lowmemPages()).isEqualTo(0x36ffe);
        assertThat(config.profile()).isEqualTo(X86_PAE.profile());
    }

    @Test
    void aBootTooBigForTheModelIsScaledAndSaysSo() {
        // 8 GB: 0x1ffffe... more highmem pages than MachineConfig.MAX_HIGHMEM_PAGES.
        BootResult r = TestMaps.boot(X86_PAE, 8 * GB, "");

        BootMachine m = r.toMachineConfig();

        assertThat(r.highmemPages()).isGreaterThan(MachineConfig.MAX_HIGHMEM_PAGES);
        assertThat(m.highmemPages()).isEqualTo(MachineConfig.MAX_HIGHMEM_PAGES);
        assertThat(m.notes()).containsExactly("highmem scaled from " + r.highmemPages() + " to "
                + MachineConfig.MAX_HIGHMEM_PAGES + " pages (cap " + MachineConfig.MAX_HIGHMEM_PAGES + ")");
        assertThat(m.builder().build().highmemPages()).isEqualTo(MachineConfig.MAX_HIGHMEM_PAGES);
        assertThat(r.kmapStressSection()).contains("note: " + m.notes().get(0));
    }

    @Test
    void theCallerMayCapHighmemLower() {
        BootMachine m = TestMaps.boot(X86_PAE, 2 * GB, "").toMachineConfig(4096);

        assertThat(m.highmemPages()).isEqualTo(4096);
        assertThat(m.scaled()).isTrue();
        assertThatThrownBy(() -> TestMaps.boot(X86_PAE, 2 * GB, "").toMachineConfig(-1))
                .hasMessage("highmem cap -1: must be 0.." + MachineConfig.MAX_HIGHMEM_PAGES);
    }

    @Test
    void jsonCarriesTheSameFacts() throws Exception {
        BootResult r = TestMaps.boot(X86_PAE, 2 * GB, "highmem=512M");

        JsonNode json = new ObjectMapper().readTree(BootJson.write(r));

        assertThat(json.get("profile").asText()).isEqualTo("x86-pae");
        assertThat(json.get("kernelLines")).hasSize(r.kernelLines().size());
        assertThat(json.get("kernelLines").get(0).asText()).isEqualTo(r.kernelLines().get(0));
        assertThat(json.get("pfn").get("maxPfn").asText()).isEqualTo("0x56ffe");
        assertThat(json.get("highmemPages").asLong()).isEqualTo(r.highmemPages());
        assertThat(json.get("layout").get("PKMAP_BASE").asText()).isEqualTo("0xff000000");
        assertThat(json.get("layout").get("VMALLOC_START").asText()).isEqualTo("0xf77fe000");
        assertThat(json.get("zones").get(2).get("name").asText()).isEqualTo("HighMem");
        assertThat(json.get("holes").get(2).get("pages").asLong()).isEqualTo(2);
        assertThat(json.get("pciGap").get("start").asText()).isEqualTo("0x80000000");
    }

    @Test
    void sectionStatesTheLayout() {
        BootResult r = TestMaps.boot(BootProfile.X86_4G, 2 * GB, "");

        assertThat(r.kmapStressSection()).containsSubsequence(BootResult.SECTION,
                "high_memory 0xf6bfe000", "VMALLOC_START 0xf73fe000", "VMALLOC_END 0xfebfe000",
                "PKMAP_BASE 0xfec00000", "LAST_PKMAP 1024", "FIXADDR_START 0xffdb8000",
                "FIXADDR_TOP 0xfffff000", "FIX_KMAP 68..579 0xfffbb000..0xffdbc000",
                "machine lowmem-pages 224254 highmem-pages 300002");
    }
}
