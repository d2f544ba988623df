package dev.kmapstress.scenario;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Machine;
import dev.kmapstress.machine.Page;
import dev.kmapstress.scenario.Script.Step;

/**
 * Performs one step's operation on the calling thread, which runs as {@code cpu}, and returns
 * its result as the output prints it: {@code 0x%08x} for addresses and values, {@code pK}/
 * {@code lK} for pages, {@code NULL} for no address, {@code ok} for no result.
 */
final class Executor {

    static final String OK = "ok";
    static final String NULL = "NULL";

    private Executor() {
    }

    static String run(Machine m, Cpu cpu, Step s) {
        return switch (s.op()) {
            case KMAP -> address(m.highmem().kmap(cpu, s.page().resolve(m)));
            case KUNMAP -> {
                m.highmem().kunmap(cpu, s.page().resolve(m));
                yield OK;
            }
            case KMAP_HIGH_GET -> address(m.pkmap().kmapHighGet(cpu, s.page().resolve(m)));
            case KMAP_FLUSH_UNUSED -> {
                m.pkmap().kmapFlushUnused(cpu);
                yield OK;
            }
            case PAGE_ADDRESS -> address(m.highmem().pageAddress(cpu, s.page().resolve(m)));
            case KMAP_TO_PAGE -> page(m.highmem().kmapToPage(cpu, s.addr()));
            case READ -> Script.hex(m.mmu().read(cpu, s.addr(), s.word()));
            case WRITE -> {
                m.mmu().write(cpu, s.addr(), s.word(), s.value());
                yield OK;
            }
            case FLUSH_TLB_ALL -> {
                m.mmu().flushTlbAll(cpu);
                yield OK;
            }
            case IRQ_ENTER -> {
                cpu.irqEnter();
                yield OK;
            }
            case IRQ_EXIT -> {
                cpu.irqExit();
                yield OK;
            }
            case LOCAL_IRQ_DISABLE -> {
                cpu.localIrqDisable();
                yield OK;
            }
            case LOCAL_IRQ_ENABLE -> {
                cpu.localIrqEnable();
                yield OK;
            }
            case WAIT -> throw new IllegalArgumentException("'wait' resumes a CPU; it is not an operation");
        };
    }

    private static String address(long vaddr) {
        return vaddr == 0 ? NULL : Script.hex(vaddr);
    }

    private static String page(Page p) {
        return p == null ? NULL : p.name();
    }
}
