package dev.kmapstress.torture;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import java.util.List;
import java.util.stream.Collectors;

/** The mapping kinds this build of the model offers to torture runs, by name. */
public final class MapKinds {

    /** Persistent kmaps: {@code kmap()}/{@code kunmap()}, which may sleep for a PKMAP slot. */
    public static final MapKind PERSISTENT = new MapKind() {
        @Override public String name() { return "persistent"; }
        @Override public String mapOp() { return "kmap"; }
        @Override public String unmapOp() { return "kunmap"; }
        @Override public int nesting() { return SLEEPING; }
        @Override public boolean usesPkmapSlot() { return true; }

        @Override
        public long map(Cpu cpu, Page page) {
            return cpu.machine().highmem().kmap(cpu, page);
        }

        @Override
        public void unmap(Cpu cpu, Page page, long vaddr) {
            cpu.machine().highmem().kunmap(cpu, page);
        }
    };

    private static final List<MapKind> ALL = List.of(PERSISTENT);

    private MapKinds() {
    }

    /** Every kind, in the order workloads list them. */
    public static List<MapKind> all() {
        return ALL;
    }

    /** The kind named {@code name}, or null. */
    public static MapKind byName(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
    }

    /** Every kind's name, comma-separated. */
    public static String names() {
        return ALL.stream().map(MapKind::name).collect(Collectors.joining(", "));
    }
}
