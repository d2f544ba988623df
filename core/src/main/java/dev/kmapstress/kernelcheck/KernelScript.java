package dev.kmapstress.kernelcheck;

import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.scenario.Op;
import dev.kmapstress.scenario.Script;
import dev.kmapstress.scenario.Script.Line;
import dev.kmapstress.scenario.Script.PageAddressCheck;
import dev.kmapstress.scenario.Script.Step;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A scenario as the kernel module runs it: the lines that do something, in order (steps, and
 * page-address checks asked on the lowest CPU that is not blocked), encoded as the module's
 * {@code steps} parameter, and the kernel flavour of the script's profile. {@code expect log}
 * lines are left out: the kernel's reports are compared line by line instead.
 *
 * <p>Step {@code i} of the module is {@code lines().get(i)}; the module's result line
 * {@code KCHECK step i = R} reads back as {@code echo(i) + " = " + R}.
 */
public record KernelScript(Script script, String flavour, List<Line> lines) {

    /** What a module can do: no {@code until} (it cannot stop a kernel function half-way). */
    static final Set<Op> SUPPORTED = EnumSet.of(Op.KMAP, Op.KUNMAP, Op.KMAP_LOCAL_PAGE,
            Op.KUNMAP_LOCAL, Op.KMAP_ATOMIC, Op.KUNMAP_ATOMIC, Op.KMAP_FLUSH_UNUSED,
            Op.PAGE_ADDRESS, Op.KMAP_TO_PAGE, Op.READ, Op.WRITE, Op.LOCAL_IRQ_DISABLE,
            Op.LOCAL_IRQ_ENABLE, Op.WAIT, Op.FLUSH_TLB_ALL, Op.IRQ_ENTER, Op.IRQ_EXIT, Op.TASK,
            Op.FORK);

    /** The module's limits (kcheck.c: MAX_CPUS, MAX_HIGH, MAX_LOW, MAX_STEPS). */
    static final int MAX_CPUS = 8;
    static final int MAX_TASKS = 32;
    static final int MAX_HIGHMEM_PAGES = 4096;
    static final int MAX_LOWMEM_PAGES = 64;
    static final int MAX_STEPS = 512;

    public KernelScript {
        lines = List.copyOf(lines);
    }

    /**
     * The kernel's version of {@code script}.
     *
     * @throws KernelCheckException where the kernel cannot run it (the profile, an operation,
     *     {@code until}, a size beyond the module's limits), saying which line and why
     */
    public static KernelScript of(Script script) {
        MachineConfig c = script.config();
        String flavour = switch (c.profile()) {
            case X86_PAE -> "686-pae";
            case X86_4G -> "686";
            default -> throw new KernelCheckException(script.source() + ": profile "
                    + c.profile().id() + " has no Debian i386 kernel: kernel-check runs x86-pae"
                    + " (686-pae) and x86-4g (686)");
        };
        require(script, c.cpus() <= MAX_CPUS, "cpus=" + c.cpus() + ": the module runs at most "
                + MAX_CPUS + " CPUs");
        require(script, c.highmemPages() <= MAX_HIGHMEM_PAGES, "highmem-pages="
                + c.highmemPages() + ": the module allocates at most " + MAX_HIGHMEM_PAGES);
        require(script, c.lowmemPages() <= MAX_LOWMEM_PAGES, "lowmem-pages=" + c.lowmemPages()
                + ": the module allocates at most " + MAX_LOWMEM_PAGES);
        require(script, c.colours() == 1, "colours=" + c.colours() + ": x86 has no cache colours");
        List<Line> lines = new ArrayList<>();
        for (Line l : script.lines()) {
            if (l instanceof Step s) {
                if (!SUPPORTED.contains(s.op())) {
                    throw new KernelCheckException(script.source() + ":" + s.line() + ": '"
                            + s.op().word() + "': the kernel module cannot do it yet (it can: "
                            + String.join(", ", SUPPORTED.stream().map(Op::word).toList()) + ")");
                }
                if (s.until() != null) {
                    throw new KernelCheckException(script.source() + ":" + s.line() + ": 'until':"
                            + " a kernel function cannot be paused half-way from a module");
                }
                lines.add(s);
            } else if (l instanceof PageAddressCheck) {
                lines.add(l);
            }
        }
        long tasks = c.cpus() + lines.stream().filter(l -> l instanceof Step s
                && (s.op() == Op.FORK || s.op() == Op.TASK)).map(l -> ((Step) l).name())
                .filter(n -> !n.matches("kmap/\\d+")).distinct().count();
        require(script, tasks <= MAX_TASKS, tasks + " tasks: the module runs at most " + MAX_TASKS);
        require(script, lines.size() <= MAX_STEPS, lines.size() + " steps: the module runs at most "
                + MAX_STEPS);
        return new KernelScript(script, flavour, lines);
    }

    private static void require(Script script, boolean ok, String what) {
        if (!ok) {
            throw new KernelCheckException(script.source() + ": " + what);
        }
    }

    /** Line {@code i} as both outputs print it before {@code " = "}. */
    public String echo(int i) {
        Line l = lines.get(i);
        return l instanceof Step s ? s.echo() : "page_address " + ((PageAddressCheck) l).page();
    }

    /** The module's parameters, as insmod takes them. */
    public String moduleParameters() {
        MachineConfig c = script.config();
        List<String> encoded = lines.stream().map(KernelScript::encode).toList();
        return String.format(Locale.ROOT, "cpus=%d highmem_pages=%d lowmem_pages=%d window=%d"
                + " steps=\"%s\"%n", c.cpus(), c.highmemPages(), c.lowmemPages(), c.lastPkmap(),
                String.join(";", encoded));
    }

    /** {@code CPU OP ARGS} with hex without 0x; a check's CPU is {@code -}. */
    static String encode(Line line) {
        if (line instanceof PageAddressCheck c) {
            return "- page_address " + c.page();
        }
        Step s = (Step) line;
        StringBuilder sb = new StringBuilder().append(s.cpu()).append(' ').append(s.op().word());
        int n = 0;
        for (Op.Arg a : s.op().args()) {
            sb.append(' ').append(switch (a) {
                case PAGE -> s.page().toString();
                case ADDR, ADDR_OR_TOP -> s.addr() == Step.TOP ? "top" : Long.toHexString(s.addr());
                case WORD, OFFSET -> Integer.toUnsignedString(s.number(n++));
                case VALUE -> Integer.toHexString(s.number(n++));
                case NAME -> s.name();
            });
        }
        return sb.toString();
    }

    /**
     * {@code script} on another profile (and CPU count): the machine line's other settings stay,
     * and every address inside the script's PKMAP window moves to the same slot of the new
     * profile's window (fixmap addresses are the same on both x86 profiles), so the steps mean
     * the same thing. A window size the script set stays; one it left to its profile follows the
     * new profile.
     */
    public static Script retarget(Script script, Profile profile, Integer cpus) {
        MachineConfig old = script.config();
        MachineConfig.Builder b = old.toBuilder().profile(profile).highmemPages(old.highmemPages());
        if (old.lastPkmap() != old.profile().lastPkmap()) {
            b.lastPkmap(old.lastPkmap());
        }
        if (cpus != null) {
            b.cpus(cpus);
        }
        MachineConfig neu;
        try {
            neu = b.build();
        } catch (IllegalArgumentException e) {
            throw new KernelCheckException(script.source() + ": " + e.getMessage());
        }
        long from = old.profile().pkmapBase();
        long end = from + ((long) old.lastPkmap() << 12);
        long to = profile.pkmapBase();
        List<Line> lines = new ArrayList<>();
        for (Line l : script.lines()) {
            if (l instanceof Step s && s.addr() != Step.TOP && s.addr() >= from && s.addr() < end) {
                l = s.withAddr(s.addr() - from + to);
            }
            if (l instanceof Step s && s.cpu() >= neu.cpus()) {
                throw new KernelCheckException(script.source() + ":" + s.line() + ": cpu" + s.cpu()
                        + " does not exist with cpus=" + neu.cpus());
            }
            lines.add(l);
        }
        return new Script(script.source(), neu, lines);
    }
}
