package dev.kmapstress.torture;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks what a worker reads and writes through a mapping against the ledger's stamps, word by
 * word, and reports the first difference into the machine's kernel log as a
 * {@link ReportKind#DATA_MISMATCH}, with what the CPU's TLB and the page table say about the
 * address and the command that replays the run. A reported mismatch ends the worker
 * ({@link MismatchAbort}).
 */
final class Verifier {

    private final Machine machine;
    private final PageLedger ledger;
    private final OpSet ops;
    private final WorkerStats stats;
    private final String replay;

    Verifier(Machine machine, PageLedger ledger, OpSet ops, WorkerStats stats, String replay) {
        this.machine = machine;
        this.ledger = ledger;
        this.ops = ops;
        this.stats = stats;
        this.replay = replay;
    }

    /** Reads every word of the mapping and compares it with the mapping's stamp. */
    void read(Cpu cpu, Mapping mp, String when) {
        int words = mp.page.words();
        for (int i = 0; i < words; i++) {
            int got = machine.mmu().read(cpu, mp.vaddr, i);
            int want = ledger.word(mp.stamp, i);
            if (got != want) {
                mismatch(cpu, mp, when, List.of(String.format("word %d read 0x%08x, expected 0x%08x (%s)%s",
                        i, got, want, ledger.describe(mp.stamp), whoHas(i, got))));
            }
        }
        stats.extra(WorkerStats.WORDS_VERIFIED, words);
    }

    /** Stamps the page through the mapping with a new stamp and checks that the page got it. */
    void write(Cpu cpu, Mapping mp) {
        long stamp = PageLedger.nextStamp(mp.ledgerIndex, mp.stamp);
        int words = mp.page.words();
        for (int i = 0; i < words; i++) {
            machine.mmu().write(cpu, mp.vaddr, i, ledger.word(stamp, i));
        }
        mp.stamp = stamp;
        checkPage(cpu, mp, "after writing it");
    }

    /** Checks the page's memory itself (bypassing every mapping) against the stamp. */
    void checkPage(Cpu cpu, Mapping mp, String when) {
        for (int i = 0; i < mp.page.words(); i++) {
            int want = ledger.word(mp.stamp, i);
            if (machine.mmu().peek(mp.page, i) != want) {
                mismatch(cpu, mp, when, List.of(String.format("%s's memory holds 0x%08x in word %d,"
                                + " expected 0x%08x (%s): a write through the mapping went elsewhere",
                        mp.page.name(), machine.mmu().peek(mp.page, i), i, want, ledger.describe(mp.stamp))));
            }
        }
    }

    /** Compares words a copy helper read out of the page with the mapping's stamp. */
    void compare(Cpu cpu, Mapping mp, int[] words, String how) {
        for (int i = 0; i < words.length; i++) {
            int want = ledger.word(mp.stamp, i);
            if (words[i] != want) {
                report(cpu, mp.page.name() + " " + how, mp.mapOp, List.of(String.format(
                        "word %d read 0x%08x, expected 0x%08x (%s)%s", i, words[i], want,
                        ledger.describe(mp.stamp), whoHas(i, words[i]))),
                        "the helper mapped the page with kmap_local_page and unmapped it again");
            }
        }
        stats.extra(WorkerStats.WORDS_VERIFIED, words.length);
    }

    /** While a page is kmapped, page_address() must return the address kmap returned. */
    void checkAddress(Cpu cpu, Mapping mp) {
        long addr = machine.highmem().pageAddress(cpu, mp.page);
        if (addr != mp.vaddr) {
            mismatch(cpu, mp, "after mapping it", List.of(String.format(
                    "page_address(%s) = 0x%08x while the page is mapped at 0x%08x", mp.page.name(),
                    addr, mp.vaddr)));
        }
    }

    /**
     * Looks a random page's address up, as any kernel code may at any time: the answer is racy,
     * but it must be NULL or an address in the PKMAP window, and the walk of the hash bucket
     * must be safe while other CPUs map and unmap.
     */
    void probe(Cpu cpu, Page page, int op) {
        long t0 = System.nanoTime();
        long addr = machine.highmem().pageAddress(cpu, page);
        stats.done(op, System.nanoTime() - t0);
        if (addr != 0 && !machine.layout().inPkmapWindow(addr)) {
            report(cpu, "page_address(" + page.name() + ")", op, List.of(String.format(
                    "page_address(%s) = 0x%08x: neither NULL nor in the PKMAP window", page.name(), addr)),
                    translation(cpu, addr));
        }
    }

    private void mismatch(Cpu cpu, Mapping mp, String when, List<String> what) {
        report(cpu, mp.describe(ops) + " " + when, mp.mapOp, what, translation(cpu, mp.vaddr));
    }

    private void report(Cpu cpu, String subject, int op, List<String> what, String translation) {
        Task t = cpu.current();
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s on CPU#%d (%s:%d): %s", ReportKind.DATA_MISMATCH.prefix(),
                cpu.id(), t.name(), t.pid(), subject));
        lines.addAll(what);
        lines.add(translation);
        lines.add("replay: " + replay);
        stats.failed(op);
        machine.log().report(ReportKind.DATA_MISMATCH, cpu.id(), lines);
        throw new MismatchAbort(lines.get(0));
    }

    /** What the CPU's TLB and the page table map {@code vaddr} to, without touching either. */
    private String translation(Cpu cpu, long vaddr) {
        int slot = machine.pageTable().index(vaddr);
        if (slot < 0) {
            return String.format("0x%08x is in the lowmem direct map", vaddr);
        }
        return String.format("CPU#%d's TLB maps 0x%08x to %s; the page table maps it to %s", cpu.id(),
                vaddr, pageOf(cpu.tlb().lookup(slot)), pageOf(machine.pageTable().get(slot)));
    }

    private String pageOf(long pte) {
        if (PageTable.pteNone(pte)) {
            return "nothing";
        }
        Page p = machine.pfnToPage(PageTable.ptePfn(pte));
        return p == null ? "pfn 0x" + Long.toHexString(PageTable.ptePfn(pte)) : p.name();
    }

    /** The pages whose memory holds {@code value} in word {@code i}: where the data came from. */
    private String whoHas(int i, int value) {
        List<String> found = new ArrayList<>();
        for (int p = 0; p < ledger.size() && found.size() < 3; p++) {
            if (machine.mmu().peek(ledger.page(p), i) == value) {
                found.add(ledger.page(p).name());
            }
        }
        return found.isEmpty() ? "" : "; that value is in word " + i + " of " + String.join(", ", found);
    }
}
