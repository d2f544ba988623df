package dev.kmapstress.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** e820 maps for tests, and the real boot logs of {@code examples/boot}. */
final class TestMaps {

    static final long MB = 1L << 20;
    static final long GB = 1L << 30;

    private TestMaps() {
    }

    /**
     * The map QEMU's i440fx machine with SeaBIOS reports for {@code ram} bytes: RAM up to 3 GB
     * (all of it if less than 3.5 GB) below the 4 GB line, 128 KB of ACPI tables reserved at its
     * top, the BIOS ROM under 4 GB, the rest of RAM from 4 GB. The example logs show this shape
     * for 2 GB.
     */
    static String qemu(long ram) {
        long below4g = ram >= 0xe000_0000L ? 0xc000_0000L : ram;
        StringBuilder sb = new StringBuilder();
        sb.append(line(0, 0x9_fbff, "usable"));
        sb.append(line(0x9_fc00, 0x9_ffff, "reserved"));
        sb.append(line(0xf_0000, 0xf_ffff, "reserved"));
        sb.append(line(0x10_0000, below4g - 0x2_0001, "usable"));
        sb.append(line(below4g - 0x2_0000, below4g - 1, "reserved"));
        sb.append(line(0xfffc_0000L, 0xffff_ffffL, "reserved"));
        if (ram > below4g) {
            sb.append(line(1L << 32, (1L << 32) + ram - below4g - 1, "usable"));
        }
        return sb.toString();
    }

    /** One e820 line as the kernel logs it. */
    static String line(long start, long last, String type) {
        return String.format(Locale.ROOT, "BIOS-e820: [mem 0x%016x-0x%016x] %s%n", start, last, type);
    }

    /** Boots a QEMU-shaped map of {@code ram} bytes. */
    static BootResult boot(BootProfile profile, long ram, String cmdline) {
        return Boot.fromE820Text(profile, qemu(ram), cmdline);
    }

    /** A file of {@code examples/boot}, found from the repository root. */
    static Path example(String name) {
        return repositoryRoot().resolve("examples/boot").resolve(name);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path p) {
        return read(p).lines().toList();
    }

    /** The directory holding the reactor's pom.xml and core/, from the test's working directory. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("core"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
