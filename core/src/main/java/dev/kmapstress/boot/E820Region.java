package dev.kmapstress.boot;

/**
 * One region of an e820 map: {@code size} bytes from {@code addr}, of an {@link E820Type}.
 *
 * @param addr first byte
 * @param size length in bytes (at least 1)
 * @param type the unsigned 32-bit e820 type
 */
public record E820Region(long addr, long size, long type) {

    /** The last byte, as the kernel's log prints it. */
    public long last() {
        return addr + size - 1;
    }

    /** The type as the kernel's log spells it. */
    public String typeName() {
        return E820Type.print(type);
    }

    /** The region as an e820 table line, e.g. {@code BIOS-e820: [mem 0x…-0x…] usable}. */
    public String format(String who) {
        return who + ": " + Dmesg.mem18(addr, last()) + " " + typeName();
    }
}
