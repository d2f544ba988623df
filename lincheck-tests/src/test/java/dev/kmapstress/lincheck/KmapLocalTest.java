package dev.kmapstress.lincheck;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kmap_local as per-CPU stacks: {@code kmap_local_page}/{@code kunmap_local} in LIFO order,
 * an interrupt that maps and unmaps on top of the interrupted task's stack, and a preemption
 * (a context switch to another task and back, which clears and restores the task's live
 * fixmap PTEs). Checked against {@link KmapLocalStackSpec}, one stack per caller.
 *
 * <p>Each Lincheck thread is a CPU running one task ({@link Cpus}); its stack is that task's.
 * What a caller observes is the page read through each of its addresses ("p1 p0", top first),
 * never the addresses: the slot a stack index lands in is the kernel's arithmetic, and the
 * point of the check is that another CPU's pushes, pops, interrupts and switches never show
 * through this CPU's addresses. Operations are total: a pop of an empty stack does nothing.
 */
@Param(name = "tid", gen = ThreadIdGen.class)
@Param(name = "page", gen = IntGen.class, conf = "0:3")
public class KmapLocalTest extends FaithfulChecks {

    static final int THREADS = 2;
    static final String STRUCTURE = "kmap_local";
    static final String EMPTY = "empty";
    static final String SWITCHED_BACK = "switched back";

    static final MachineSetup SETUP = new MachineSetup(MachineSetup.machine(THREADS).lastPkmap(2).highmemPages(4).build());

    private final Machine machine = SETUP.build();
    /** Per Lincheck thread id: the addresses its task holds, top first. */
    private final List<Deque<Long>> stacks = new ArrayList<>();
    /** Per CPU: the task a preemption switches to. */
    private final Task[] preempters = new Task[THREADS];

    public KmapLocalTest() {
        super(STRUCTURE, KmapLocalTest::scenario);
        Tags.write(machine);
        for (int i = 0; i < THREADS + 2; i++) {
            stacks.add(new ArrayDeque<>());
        }
        for (int c = 0; c < THREADS; c++) {
            preempters[c] = machine.scheduler().newTask("preempter/" + c);
        }
    }

    /** A stack's pages, top first, or "empty". */
    static String describe(List<String> pages) {
        return pages.isEmpty() ? EMPTY : String.join(" ", pages);
    }

    @Operation(params = {"tid", "page"})
    public String push(int tid, int page) {
        return Cpus.run(machine, tid, cpu -> {
            long vaddr = machine.kmapLocal().kmapLocalPage(cpu, machine.highPage(page));
            stacks.get(tid).push(vaddr);
            return Tags.read(machine, cpu, vaddr);
        });
    }

    @Operation(params = {"tid"})
    public String pop(int tid) {
        Long top = stacks.get(tid).poll();
        if (top == null) {
            return EMPTY;
        }
        return Cpus.run(machine, tid, cpu -> {
            String page = Tags.read(machine, cpu, top);
            machine.kmapLocal().kunmapLocal(cpu, top);
            return "unmapped " + page;
        });
    }

    @Operation(params = {"tid"})
    public String read(int tid) {
        return Cpus.run(machine, tid, cpu -> {
            List<String> pages = new ArrayList<>();
            for (long vaddr : stacks.get(tid)) {
                pages.add(Tags.read(machine, cpu, vaddr));
            }
            return describe(pages);
        });
    }

    @Operation(params = {"tid", "page"})
    public String interrupt(int tid, int page) {
        return Cpus.run(machine, tid, cpu -> {
            String[] read = new String[1];
            cpu.runInterrupt(() -> {
                long vaddr = machine.kmapLocal().kmapLocalPage(cpu, machine.highPage(page));
                read[0] = Tags.read(machine, cpu, vaddr);
                machine.kmapLocal().kunmapLocal(cpu, vaddr);
            });
            return read[0];
        });
    }

    @Operation(params = {"tid"})
    public String preempt(int tid) {
        return Cpus.run(machine, tid, cpu -> {
            Task task = cpu.current();
            boolean out = machine.scheduler().contextSwitch(cpu, preempters[cpu.id()]);
            boolean back = machine.scheduler().contextSwitch(cpu, task);
            return out && back ? SWITCHED_BACK : "not preemptible";
        });
    }

    /**
     * Random scenarios, plus one hand-written: both CPUs hold a mapping, one is preempted and
     * reads through it afterwards while the other takes an interrupt.
     */
    static Options<?, ?> scenario(Mode mode, Budget budget) {
        return mode.options(budget, 1, mode == Mode.STRESS ? 50 : 20).threads(THREADS).actorsPerThread(3)
                .actorsBefore(1).actorsAfter(1).sequentialSpecification(KmapLocalStackSpec.class)
                .addCustomScenario(Scenario.of(KmapLocalTest.class)
                        .thread(1, "push", 1, 0).thread(1, "preempt", 1).thread(1, "read", 1)
                        .thread(2, "push", 2, 1).thread(2, "interrupt", 2, 2).thread(2, "read", 2)
                        .build());
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"SHARED_LOCAL_INDEX", "NO_SCHED_IN_RESTORE"})
    void faultFoundByModelChecking(Fault fault) {
        LincheckRun.expectFaultFound(SETUP, fault, STRUCTURE, Mode.MODEL_CHECKING, KmapLocalTest::scenario,
                KmapLocalTest.class);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"SHARED_LOCAL_INDEX", "NO_SCHED_IN_RESTORE"})
    void faultFoundByStress(Fault fault) {
        LincheckRun.expectFaultFound(SETUP, fault, STRUCTURE, Mode.STRESS, KmapLocalTest::scenario,
                KmapLocalTest.class);
    }
}
