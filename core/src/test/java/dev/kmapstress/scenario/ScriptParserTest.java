package dev.kmapstress.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.KernelOp;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.scenario.Script.LogCheck;
import dev.kmapstress.scenario.Script.PageAddressCheck;
import dev.kmapstress.scenario.Script.Step;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScriptParserTest {

    private static final String MACHINE = "machine cpus=2 last-pkmap=4 highmem-pages=8\n";
    /** The machine line for the table below, whose rows cannot hold a newline: '\\n' stands for it. */
    private static final String M = "machine cpus=2 last-pkmap=4 highmem-pages=8\\n";

    private static Script parse(String text, String... overrides) {
        return ScriptParser.parse("t.scenario", text, List.of(overrides));
    }

    @Test
    void readsTheMachineLineStepsAndChecksInOrder() {
        Script s = parse("# a story\n\n" + MACHINE
                + "cpu0 kmap p3   # map it\n"
                + "expect cpu1 write 0xFF001000 2 42 = ok\n"
                + "cpu1 kmap p4 until spin_unlock   kmap_lock\n"
                + "expect page_address l2 = 0xC0002000\n"
                + "expect log bug\n"
                + "expect cpu0 kunmap_local top = ok\n");
        assertThat(s.config().cpus()).isEqualTo(2);
        assertThat(s.config().lastPkmap()).isEqualTo(4);
        assertThat(s.lines()).extracting(Script.Line::line).containsExactly(4, 5, 6, 7, 8, 9);
        assertThat(s.lines()).extracting(Script.Line::text).containsExactly(
                "cpu0 kmap p3",
                "expect cpu1 write 0xff001000 2 0x0000002a = ok",
                "cpu1 kmap p4 until spin_unlock kmap_lock",
                "expect page_address l2 = 0xc0002000",
                "expect log BUG",
                "expect cpu0 kunmap_local top = ok");
        Step until = (Step) s.lines().get(2);
        assertThat(until.until()).isEqualTo("spin_unlock kmap_lock");
        assertThat(until.expected()).isNull();
        assertThat(((PageAddressCheck) s.lines().get(3)).page()).isEqualTo(new Script.PageRef(false, 2));
        assertThat(((LogCheck) s.lines().get(4)).kind()).isEqualTo(ReportKind.BUG);
        assertThat(((Step) s.lines().get(5)).addr()).isEqualTo(Step.TOP);
    }

    @Test
    void theProfileGoesFirstAndOverridesComeLast() {
        Script s = parse("machine last-pkmap=8 profile=x86-4g cpus=4\ncpu0 kmap p0\n", "cpus=1",
                "fault=WAKE_ONE");
        assertThat(s.config().profile()).isEqualTo(Profile.X86_4G);
        assertThat(s.config().lastPkmap()).as("not reset by the profile written after it").isEqualTo(8);
        assertThat(s.config().cpus()).isEqualTo(1);
        assertThat(s.config().faults()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "cpu0 kmap p0|1|'cpu0': expected a first line 'machine KEY=VALUE ...'",
        "machine cpus=99|1|'machine cpus=99': cpus=99: must be 1..32 (CONFIG_NR_CPUS of profile x86-pae)",
        "machine cpus|1|'cpus': expected KEY=VALUE with a key of: ",
        "machine colour=2|1|'colour=2': unknown setting 'colour'; known: ",
        M + "cpu2 kmap p0|2|'cpu2': expected a CPU cpu0..cpu1, 'expect' or (first line only) 'machine'",
        M + "kmap p0|2|'kmap': expected a CPU cpu0..cpu1",
        M + "cpu0 kmapp p0|2|'kmapp': expected an operation: kmap, kunmap, kmap_high_get, ",
        M + "cpu0|2|'cpu0': expected an operation after it: kmap, ",
        M + "cpu0 kmap|2|'end of line': 'kmap' takes a page pK or lK",
        M + "cpu0 kmap p0 p1|2|'p1': 'kmap' takes a page pK or lK",
        M + "cpu0 kmap p8|2|'p8': expected a page p0..p7 (highmem) or l0..l15 (lowmem)",
        M + "cpu0 kmap q1|2|'q1': expected a page p0..p7",
        M + "cpu0 read 0xff001000 8|2|'8': expected a word index 0..7 (payload-words=8)",
        M + "cpu0 read ff001000 0|2|'ff001000': expected an address in hex, 0x0..0xffffffff",
        M + "cpu0 write 0xff001000 0 0x100000000|2|'0x100000000': expected a 32-bit value",
        M + "cpu0 kunmap top|2|'top': expected a page p0..p7",
        M + "cpu0 zero_user_segments p0 0 4|2|'end of line': 'zero_user_segments' takes a page pK or lK, then a word offset in the page (decimal or 0x...), then a word offset in the page (decimal or 0x...), then a word offset in the page (decimal or 0x...), then a word offset in the page (decimal or 0x...)",
        M + "cpu0 zero_user_segments p0 0 4 6 8 9|2|'9': 'zero_user_segments' takes a page pK or lK, then a word offset",
        M + "cpu0 zero_user_segments p0 0 four 6 8|2|'four': expected a word offset in the page (0..8 with payload-words=8; beyond it, the kernel's BUG): 0x0..0xffffffff or decimal 0..4294967295",
        M + "cpu0 task a/very/long/name!|2|'a/very/long/name!': expected a task name: 1 to 15",
        M + "cpu0 kmap_high_get p0|2|'kmap_high_get': kmap_high_get exists only where ARCH_NEEDS_KMAP_HIGH_GET: use profile=arm-like (this machine is x86-pae)",
        M + "cpu0 kmap p0 until|2|'until': expected the internal step to pause after",
        M + "cpu0 kmap p0 = 0xff001000|2|'=': a result is checked only on an expect line: 'expect cpu0 kmap p0 = 0xff001000'",
        M + "expect cpu0 kmap p0|2|'p0': expected '= RESULT' at the end of an expect line",
        M + "expect cpu0 kmap p0 = maybe|2|'maybe': expected a result: an address or value 0x..., NULL, ok, blocked, paused, oops, refused, or a page pK / lK",
        M + "expect = ok|2|'expect': expected 'expect cpuN OP ... = RESULT'",
        M + "expect page_address = NULL|2|'page_address': expected 'page_address pK'",
        M + "expect log maybe|2|'maybe': expected none or a report kind: BUG, WARNING, ",
        "\\n# only comments\\n|3|'end of file': expected a first line 'machine KEY=VALUE ...'",
    })
    void aScriptThatDoesNotParseIsOneLineNamingTheLineTheWordAndWhatWasExpected(
            String text, int line, String message) {
        assertThatThrownBy(() -> parse(text.replace("\\n", "\n")))
                .isInstanceOf(ScriptException.class)
                .hasMessageStartingWith("t.scenario:" + line + ": " + message)
                .satisfies(e -> assertThat(((ScriptException) e).line()).isEqualTo(line))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aBadOverrideNamesTheSetting() {
        assertThatThrownBy(() -> parse(MACHINE, "fault=NOPE"))
                .isInstanceOf(ScriptException.class)
                .hasMessageStartingWith("t.scenario: 'fault=NOPE': fault=NOPE: unknown fault 'NOPE'; known: ");
    }

    /** An operation takes as many numbers as it needs: zero_user_segments's two segments, four offsets. */
    @Test
    void aStepHoldsEveryNumberItsOperationTakesInOrder() {
        Script s = parse(MACHINE + "expect cpu1 zero_user_segments p3 0 0x2 5 8 = ok\n"
                + "cpu0 write 0xff001000 7 0x2a\n");
        Step zero = (Step) s.lines().get(0);
        assertThat(zero.page()).isEqualTo(new Script.PageRef(true, 3));
        assertThat(zero.numbers()).containsExactly(0, 2, 5, 8);
        assertThat(zero.text()).isEqualTo("expect cpu1 zero_user_segments p3 0 2 5 8 = ok");
        Step write = (Step) s.lines().get(1);
        assertThat(write.numbers()).containsExactly(7, 42);
        assertThat(write.echo()).isEqualTo("cpu0 write 0xff001000 7 0x0000002a");
    }

    /** A segment end beyond the page is not a syntax error: it is the kernel's BUG_ON, which a script may show. */
    @Test
    void anOffsetBeyondThePageParsesForTheKernelToRefuse() {
        Step s = (Step) parse(MACHINE + "cpu0 zero_user_segments p0 0 9 0 0xffffffff\n").lines().get(0);
        assertThat(s.echo()).isEqualTo("cpu0 zero_user_segments p0 0 9 0 4294967295");
    }

    @Test
    void aStepWithTheWrongCountOfNumbersIsRefusedSayingWhatItTakes() {
        assertThatThrownBy(() -> new Step(1, 0, Op.ZERO_USER_SEGMENTS, new Script.PageRef(true, 0), 0, null,
                List.of(1, 2), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'zero_user_segments' takes 4 numbers, not 2: [1, 2]");
    }

    @Test
    void kmapHighGetParsesWhereTheProfileHasIt() {
        Script s = parse("machine profile=arm-like\ncpu0 kmap_high_get p0\n");
        assertThat(((Step) s.lines().get(0)).op()).isEqualTo(Op.KMAP_HIGH_GET);
    }

    @Test
    void everyOperationHasADistinctWordAndIsFoundByIt() {
        for (Op op : Op.values()) {
            assertThat(Op.byWord(op.word())).isSameAs(op);
        }
        assertThat(Op.byWord("KMAP")).isNull();
    }

    /** Torture records its steps by kernel function: every one is a step of the same name, but the copies. */
    @Test
    void everyKernelFunctionButTheCopiesIsAStepOfItsName() {
        for (KernelOp k : KernelOp.values()) {
            if (k == KernelOp.COPY_HIGHPAGE || k == KernelOp.MEMCPY_FROM_PAGE) {
                assertThat(Op.of(k)).as(k.word()).isNull();
            } else {
                assertThat(Op.of(k).word()).isEqualTo(k.word());
            }
        }
        assertThat(Op.of(KernelOp.KMAP_FLUSH_UNUSED)).isSameAs(Op.KMAP_FLUSH_UNUSED);
    }
}
