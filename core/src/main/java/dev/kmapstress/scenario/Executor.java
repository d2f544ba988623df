package dev.kmapstress.scenario;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Task;
import dev.kmapstress.mm.KmapLocal;
import dev.kmapstress.scenario.Script.Step;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Performs one step's operation on the calling thread, which runs as {@code cpu}, and returns
 * its result as the output prints it: {@code 0x%08x} for addresses and values, {@code pK}/
 * {@code lK} for pages, {@code NULL} for no address, {@code ok} for no result, {@code refused}
 * for a context switch the CPU cannot make. Knows the machine's tasks by name: each CPU's first
 * task ({@code kmap/N}) and those the script created with {@code task} or {@code fork}.
 */
final class Executor {

    static final String OK = "ok";
    static final String NULL = "NULL";
    static final String REFUSED = "refused";

    private final Machine m;
    private final KmapLocal local;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();

    Executor(Machine machine) {
        this.m = machine;
        this.local = machine.kmapLocal();
        for (int i = 0; i < m.nrCpus(); i++) {
            Task t = m.cpu(i).current();
            tasks.put(t.name(), t);
        }
    }

    String run(Cpu cpu, Step s) {
        return switch (s.op()) {
            case KMAP -> address(m.highmem().kmap(cpu, page(s)));
            case KUNMAP -> {
                m.highmem().kunmap(cpu, page(s));
                yield OK;
            }
            case KMAP_HIGH_GET -> address(m.pkmap().kmapHighGet(cpu, page(s)));
            case KMAP_LOCAL_PAGE -> address(local.kmapLocalPage(cpu, page(s)));
            case KUNMAP_LOCAL -> {
                local.kunmapLocal(cpu, localAddress(cpu, s));
                yield OK;
            }
            case KMAP_ATOMIC -> address(local.kmapAtomic(cpu, page(s)));
            case KUNMAP_ATOMIC -> {
                local.kunmapAtomic(cpu, localAddress(cpu, s));
                yield OK;
            }
            case KMAP_LOCAL_PFN -> address(local.kmapLocalPfn(cpu, page(s).pfn()));
            case KMAP_ATOMIC_PFN -> address(local.kmapAtomicPfn(cpu, page(s).pfn()));
            case KMAP_LOCAL_FOLIO -> address(local.kmapLocalFolio(cpu, page(s), Integer.toUnsignedLong(s.number(0))));
            case KMAP_ATOMIC_PROT -> address(local.kmapAtomicProt(cpu, page(s), Integer.toUnsignedLong(s.number(0))));
            case KMAP_ASSERT_NOMAP -> {
                local.kmapAssertNomap(cpu);
                yield OK;
            }
            case ZERO_USER_SEGMENTS -> {
                m.highmemCopy().zeroUserSegments(cpu, page(s), s.number(0), s.number(1), s.number(2), s.number(3));
                yield OK;
            }
            case NR_FREE_HIGHPAGES -> Script.hex(m.highmem().nrFreeHighpages());
            case KMAP_FLUSH_UNUSED -> {
                m.pkmap().kmapFlushUnused(cpu);
                yield OK;
            }
            case PAGE_ADDRESS -> address(m.highmem().pageAddress(cpu, page(s)));
            case KMAP_TO_PAGE -> {
                Page p = m.highmem().kmapToPage(cpu, s.addr());
                yield p == null ? NULL : p.name();
            }
            case READ -> Script.hex(m.mmu().read(cpu, s.addr(), s.number(0)));
            case WRITE -> {
                m.mmu().write(cpu, s.addr(), s.number(0), s.number(1));
                yield OK;
            }
            case FLUSH_TLB_ALL -> {
                m.mmu().flushTlbAll(cpu);
                yield OK;
            }
            case TASK -> task(cpu, s.name());
            case FORK -> fork(cpu, s.name());
            default -> irq(cpu, s.op());
        };
    }

    private String irq(Cpu cpu, Op op) {
        switch (op) {
            case IRQ_ENTER -> cpu.irqEnter();
            case IRQ_EXIT -> cpu.irqExit();
            case LOCAL_IRQ_DISABLE -> cpu.localIrqDisable();
            case LOCAL_IRQ_ENABLE -> cpu.localIrqEnable();
            default -> throw new IllegalArgumentException("'" + op.word() + "' is not run by a CPU");
        }
        return OK;
    }

    private Page page(Step s) {
        return s.page().resolve(m);
    }

    /** The step's address, or for {@code top} the current task's top kmap_local mapping. */
    private long localAddress(Cpu cpu, Step s) {
        if (s.addr() != Step.TOP) {
            return s.addr();
        }
        int top = local.kmapLocalIdx(cpu);
        if (top < 0) {
            throw new IllegalArgumentException("'top': the kmap_local stack of " + cpu.current()
                    + " on cpu" + cpu.id() + " is empty");
        }
        Layout l = m.layout();
        return l.fixToVirt(l.fixKmapBegin() + local.kmapLocalCalcIdx(cpu, top));
    }

    private String task(Cpu cpu, String name) {
        Task next = tasks.computeIfAbsent(name, m.scheduler()::newTask);
        return m.scheduler().contextSwitch(cpu, next) ? OK : REFUSED;
    }

    private String fork(Cpu cpu, String name) {
        if (tasks.containsKey(name)) {
            throw new IllegalArgumentException("a task named '" + name + "' exists already");
        }
        tasks.put(name, m.scheduler().fork(cpu, name));
        return OK;
    }

    private static String address(long vaddr) {
        return vaddr == 0 ? NULL : Script.hex(vaddr);
    }
}
