package dev.kmapstress.jcstress.highget;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;

/**
 * A small machine of the arm-like profile (ARCH_NEEDS_KMAP_HIGH_GET: kmap_high_get exists,
 * kmap_lock is taken with IRQs off, TLB maintenance is broadcast by hardware), four slots, and
 * the kmap_high_get steps the tests of this package share.
 */
abstract class ArmLikeMachine extends SmallMachine {

    ArmLikeMachine(Fault... faults) {
        super(small(Profile.ARM_LIKE, 4, 4), faults);
    }

    /**
     * kmap_high_get of {@code p}; if it pinned a mapping, reads through it and releases the pin
     * with kunmap_high. Returns {@code "not mapped"} or where and what it read ({@code "slot 1: p0"}).
     */
    protected final String getReadPut(Cpu cpu, Page p) {
        long va = m.pkmap().kmapHighGet(cpu, p);
        if (va == 0) {
            return "not mapped";
        }
        String seen = "slot " + slot(va) + ": " + read(cpu, va);
        m.pkmap().kunmapHigh(cpu, p);
        return seen;
    }
}
