package dev.kmapstress.boot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A {@link BootResult} as JSON (Jackson): the same facts as the text output, addresses as
 * {@code 0x} hex strings, counts as numbers, pfn ranges as {@code [start, end)} objects.
 */
public final class BootJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private BootJson() {
    }

    /** The result as a pretty-printed JSON document. */
    public static String write(BootResult r) {
        try {
            return MAPPER.writeValueAsString(tree(r));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result as a Jackson tree. */
    public static ObjectNode tree(BootResult r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("profile", r.profile().id());
        root.put("cmdline", r.cmdline());
        strings(root.putArray("kernelLines"), r.kernelLines());
        regions(root.putArray("biosMap"), r.biosMap());
        regions(root.putArray("finalMap"), r.finalMap());
        ObjectNode pfn = root.putObject("pfn");
        pfn.put("maxArchPfn", hex(r.maxArchPfn()));
        pfn.put("maxPfn", hex(r.maxPfn()));
        pfn.put("maxLowPfn", hex(r.maxLowPfn()));
        pfn.put("maxPfnMapped", hex(r.maxPfnMapped()));
        pfn.put("highstartPfn", hex(r.highstartPfn()));
        pfn.put("highendPfn", hex(r.highendPfn()));
        root.put("vmallocReserve", hex(r.vmallocReserve()));
        zones(root.putArray("zones"), r.zones());
        ArrayNode nodes = root.putArray("nodeRanges");
        r.nodeRanges().forEach(n -> range(nodes.addObject(), n));
        ArrayNode holes = root.putArray("holes");
        r.holes().forEach(h -> holes.addObject().put("zone", h.zone()).put("pages", h.pages()));
        root.putObject("pciGap").put("start", hex(r.pciGapStart())).put("size", hex(r.pciGapSize()));
        root.put("physpages", r.physpages());
        root.put("lowmemPages", r.lowmemPages());
        root.put("highmemPages", r.highmemPages());
        layout(root.putObject("layout"), r);
        BootMachine m = r.toMachineConfig();
        ObjectNode machine = root.putObject("machine");
        machine.put("lowmemPages", m.lowmemPages()).put("highmemPages", m.highmemPages());
        strings(machine.putArray("notes"), m.notes());
        strings(root.putArray("notes"), r.notes());
        return root;
    }

    private static void layout(ObjectNode l, BootResult r) {
        BootProfile p = r.profile();
        l.put("PAGE_OFFSET", hex(r.pageOffset()));
        l.put("high_memory", hex(r.highMemory()));
        l.put("VMALLOC_START", hex(r.vmallocStart()));
        l.put("VMALLOC_END", hex(r.vmallocEnd()));
        l.put("PKMAP_BASE", hex(p.pkmapBase()));
        l.put("LAST_PKMAP", p.lastPkmap());
        l.put("FIXADDR_START", hex(p.fixaddrStart()));
        l.put("FIXADDR_TOP", hex(p.fixaddrTop()));
        l.put("FIX_KMAP_BEGIN", p.fixKmapBegin());
        l.put("FIX_KMAP_END", p.fixKmapEnd());
        l.put("FIX_KMAP_BEGIN_vaddr", hex(p.fixToVirt(p.fixKmapBegin())));
        l.put("FIX_KMAP_END_vaddr", hex(p.fixToVirt(p.fixKmapEnd())));
    }

    private static void zones(ArrayNode out, List<BootResult.Zone> zones) {
        for (BootResult.Zone z : zones) {
            ObjectNode o = out.addObject().put("name", z.name());
            range(o.putObject("archRange"), z.archRange());
            o.put("startPfn", hex(z.startPfn())).put("spannedPages", z.spannedPages())
                    .put("presentPages", z.presentPages());
        }
    }

    private static void regions(ArrayNode out, List<E820Region> regions) {
        regions.forEach(e -> out.addObject().put("start", hex(e.addr())).put("end", hex(e.last()))
                .put("type", e.typeName()));
    }

    private static void range(ObjectNode o, PfnRange r) {
        o.put("startPfn", hex(r.start())).put("endPfn", hex(r.end()));
    }

    private static void strings(ArrayNode out, List<String> values) {
        values.forEach(out::add);
    }

    private static String hex(long v) {
        return Dmesg.hex(v);
    }
}
