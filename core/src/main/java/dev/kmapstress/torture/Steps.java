package dev.kmapstress.torture;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.KernelOp;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Task;
import dev.kmapstress.scenario.Op;
import dev.kmapstress.scenario.StepRecorder;

/**
 * The last steps of every worker, kept in the scenario language by a {@link StepRecorder} so
 * that a failed run can print them as a script for {@code ./kmap-stress run}: the starting
 * point of a deterministic reproducer. Each model call is recorded with its page or address,
 * each verification by its first read, each stamp by its first write; copies, which the
 * language has no step for, as comments.
 */
final class Steps {

    /** Steps kept per CPU. */
    static final int DEPTH = 48;

    private final StepRecorder recorder;
    /** The step of each counted operation, null where the language has none. */
    private final Op[] byOp;

    Steps(int cpus, OpSet ops) {
        this.recorder = new StepRecorder(cpus, DEPTH);
        this.byOp = new Op[ops.size()];
        for (int i = 0; i < byOp.length; i++) {
            byOp[i] = Op.of(ops.op(i));
        }
    }

    /** A call that takes a page: kmap, kmap_local_page, kmap_atomic, page_address, kmap_high_get. */
    void page(Cpu cpu, int op, Page page) {
        if (byOp[op] != null) {
            recorder.record(cpu.id(), byOp[op], page);
        }
    }

    void page(Cpu cpu, KernelOp op, Page page) {
        recorder.record(cpu.id(), Op.of(op), page);
    }

    /** An unmap: kunmap takes the page, kunmap_local and kunmap_atomic the address. */
    void unmap(Cpu cpu, int op, Page page, long vaddr) {
        unmap(cpu, byOp[op], page, vaddr);
    }

    void unmap(Cpu cpu, KernelOp op, Page page, long vaddr) {
        unmap(cpu, Op.of(op), page, vaddr);
    }

    private void unmap(Cpu cpu, Op op, Page page, long vaddr) {
        if (op == Op.KUNMAP) {
            recorder.record(cpu.id(), op, page);
        } else if (op != null) {
            recorder.record(cpu.id(), op, vaddr);
        }
    }

    /** A call without arguments: kmap_flush_unused, irq_enter, irq_exit. */
    void bare(Cpu cpu, KernelOp op) {
        recorder.record(cpu.id(), Op.of(op));
    }

    /** A context switch to {@code task}. */
    void task(Cpu cpu, Task task) {
        recorder.record(cpu.id(), Op.TASK, task.name());
    }

    /** The first word read in a verification through {@code vaddr}. */
    void read(Cpu cpu, long vaddr) {
        recorder.recordRead(cpu.id(), vaddr, 0);
    }

    /** The first word of a new stamp written through {@code vaddr}. */
    void write(Cpu cpu, long vaddr, int value) {
        recorder.recordWrite(cpu.id(), vaddr, 0, value);
    }

    /** Something the scenario language has no step for. */
    void note(Cpu cpu, String text) {
        recorder.note(cpu.id(), text);
    }

    /** The last steps of {@code cpus}, interleaved by start time, as a scenario. */
    String script(MachineConfig config, long seed, int... cpus) {
        return recorder.toScript(config, seed, cpus);
    }
}
