package dev.kmapstress.scenario;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import java.util.List;

/**
 * A parsed scenario: the machine it runs on and its lines in order, each a {@link Step} on one
 * CPU or a check of the whole machine. Built by {@link ScriptParser}; run by
 * {@link ScenarioRunner}. Every value in it was validated against the machine's configuration
 * (CPU numbers, page indices, word indices), so running it cannot fail on syntax.
 */
public record Script(String source, MachineConfig config, List<Line> lines) {

    public Script {
        lines = List.copyOf(lines);
    }

    /** One line of a script that does something: a step or a check. */
    public sealed interface Line permits Step, PageAddressCheck, LogCheck {
        /** Its line number in the source, from 1. */
        int line();

        /** The line as the output and error messages write it. */
        String text();
    }

    /** A page as a script names it: {@code pK} (highmem) or {@code lK} (lowmem). */
    public record PageRef(boolean high, int index) {

        /** The machine's page. */
        public Page resolve(Machine m) {
            return high ? m.highPage(index) : m.lowPage(index);
        }

        @Override
        public String toString() {
            return (high ? "p" : "l") + index;
        }
    }

    /**
     * {@code cpuN OP ARGS [until WORDS]}, optionally an {@code expect} with the result it must
     * give. The arguments by kind: the page, the address and the task name (null or 0 where the
     * operation takes none; an address of {@link #TOP} is the word {@code top}), and the numbers
     * ({@link Op.Arg#number()}: word indices, values, offsets) in the order the operation takes
     * them. {@code until} names the internal step (a trace line's first words) after which the
     * CPU pauses.
     */
    public record Step(int line, int cpu, Op op, PageRef page, long addr, String name, List<Integer> numbers,
            String until, String expected) implements Line {

        /** The address {@code top} stands for: the CPU's kmap_local stack top, found when run. */
        public static final long TOP = -1;

        public Step {
            numbers = List.copyOf(numbers);
            if (numbers.size() != op.numbers()) {
                throw new IllegalArgumentException("'" + op.word() + "' takes " + op.numbers() + " numbers, not "
                        + numbers.size() + ": " + numbers);
            }
        }

        /** The {@code n}-th number argument, from 0. */
        public int number(int n) {
            return numbers.get(n);
        }

        /** The step as the output echoes it, without the expectation: {@code cpu0 kmap p3}. */
        public String echo() {
            StringBuilder sb = new StringBuilder("cpu").append(cpu).append(' ').append(op.word());
            int n = 0;
            for (Op.Arg a : op.args()) {
                sb.append(' ').append(switch (a) {
                    case PAGE -> page.toString();
                    case ADDR, ADDR_OR_TOP -> addr == TOP ? "top" : hex(addr);
                    case WORD, OFFSET -> Integer.toUnsignedString(number(n++));
                    case VALUE -> hex(number(n++));
                    case NAME -> name;
                });
            }
            if (until != null) {
                sb.append(" until ").append(until);
            }
            return sb.toString();
        }

        /** This step with another address (the same slot of another window). */
        public Step withAddr(long newAddr) {
            return new Step(line, cpu, op, page, newAddr, name, numbers, until, expected);
        }

        @Override
        public String text() {
            return expected == null ? echo() : "expect " + echo() + " = " + expected;
        }
    }

    /** {@code expect page_address pK = RESULT}: the page's address, asked on an idle CPU. */
    public record PageAddressCheck(int line, PageRef page, String expected) implements Line {
        @Override
        public String text() {
            return "expect page_address " + page + " = " + expected;
        }
    }

    /** {@code expect log KIND} (a report of that kind so far) or {@code expect log none}. */
    public record LogCheck(int line, ReportKind kind) implements Line {
        @Override
        public String text() {
            return "expect log " + (kind == null ? "none" : kind.name());
        }
    }

    /** An address or 32-bit value as scenarios print it: {@code 0x%08x}. */
    public static String hex(long value) {
        return String.format("0x%08x", value & 0xffff_ffffL);
    }
}
