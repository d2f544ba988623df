package dev.kmapstress.kernelcheck;

import dev.kmapstress.scenario.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the serial console of a kernel-check boot back into the scenario output format.
 *
 * <p>The module prints {@code KCHECK step N = RESULT} when step N is done, and
 * {@code KCHECK fault ADDR} before the result of an access that faulted (caught by the
 * exception table, so the kernel printed no report). Rules, in the order the model prints:
 * <ul>
 * <li>a step line becomes {@code ECHO = RESULT}, the echo of the script's step N;</li>
 * <li>the kernel's report headlines ({@code WARNING: ...}, {@code BUG: ...},
 *     {@code kernel BUG at ...}) printed while a step ran follow that step's line, as the
 *     model prints its reports; the rest of a report (registers, call trace) is not compared;</li>
 * <li>a caught fault becomes the headline x86 prints for it,
 *     {@code BUG: unable to handle page fault for address: ADDR};</li>
 * <li>a step the module could not do ({@code cannot}: its CPU is blocked, its task died in a
 *     fault; {@code timeout}) ends the output with {@code # stopped at line L: TEXT}, as
 *     {@link KernelCheck} ends the model's output where the model stopped;</li>
 * <li>so does a step that faulted where the script has no {@code expect ... = oops}: the
 *     scenario language's rule, applied to both sides.</li>
 * </ul>
 * Everything else on the console (the boot, the module's prologue) is not compared.
 */
public final class KernelLog {

    private static final Pattern STEP = Pattern.compile("KCHECK step (\\d+) (?:= (\\S+)|(cannot|timeout): (.*))$");
    private static final Pattern FAULT = Pattern.compile("KCHECK fault ([0-9a-f]{8})$");
    private static final Pattern ERROR = Pattern.compile("KCHECK error: (.*)$");
    private static final Pattern REPORT = Pattern.compile("^(?:\\[\\s*\\d+\\.\\d+\\] )?"
            + "((?:WARNING: CPU: |BUG: |kernel BUG at |INFO: task ).*)$");
    static final String PAGE_FAULT = "BUG: unable to handle page fault for address: ";

    /** What the kernel printed for the script, normalised, and whether the module finished. */
    public record Run(List<String> lines, boolean finished) {
        public Run {
            lines = List.copyOf(lines);
        }
    }

    private KernelLog() {
    }

    /**
     * Reads {@code serial} (the whole console) for {@code script}.
     *
     * @throws KernelCheckException where the module reported an error or never started
     */
    public static Run read(String serial, KernelScript script) {
        List<String> out = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        boolean started = false;
        boolean finished = false;
        for (String raw : serial.split("\r?\n")) {
            String line = raw.strip();
            Matcher m;
            if ((m = ERROR.matcher(line)).find()) {
                throw new KernelCheckException("the kernel module refused the scenario: " + m.group(1));
            } else if (line.contains("KCHECK start ")) {
                started = true;
            } else if (line.contains("KCHECK end ")) {
                finished = true;
            } else if ((m = FAULT.matcher(line)).find()) {
                pending.add(PAGE_FAULT + m.group(1));
            } else if ((m = STEP.matcher(line)).find()) {
                int n = Integer.parseInt(m.group(1));
                if (n >= script.lines().size()) {
                    throw new KernelCheckException("the kernel printed step " + n + " of a script"
                            + " of " + script.lines().size());
                }
                Script.Line step = script.lines().get(n);
                if (m.group(2) == null) {
                    out.addAll(pending);
                    pending.clear();
                    out.add(KernelCheck.stopped(step));
                    finished = true;
                    break;
                }
                out.add(script.echo(n) + " = " + m.group(2));
                out.addAll(pending);
                pending.clear();
                if (m.group(2).equals("oops") && step instanceof Script.Step s && s.expected() == null) {
                    out.add(KernelCheck.stopped(step));
                    finished = true;
                    break;
                }
            } else if (started && (m = REPORT.matcher(line)).find()) {
                pending.add(m.group(1));
            }
        }
        if (!started) {
            throw new KernelCheckException("the kernel never started the scenario module (see the"
                    + " serial log): " + tail(serial));
        }
        out.addAll(pending);
        return new Run(Normalise.lines(out), finished);
    }

    private static String tail(String serial) {
        String[] lines = serial.strip().split("\r?\n");
        return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length));
    }
}
