package dev.kmapstress.lincheck;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import java.time.Duration;

/**
 * The machine configuration a Lincheck test class builds its machines from, one holder per
 * class.
 *
 * <p>Lincheck creates the test class itself, through its no-argument constructor, once per
 * invocation, so a JUnit test that wants a variant (a seeded fault, another lock strategy)
 * switches the holder before {@code check()} and switches it back when the returned scope
 * closes. JUnit runs one test method at a time (the module does not enable parallel
 * execution), so variants never overlap.
 */
final class MachineSetup {

    private final MachineConfig base;
    private volatile MachineConfig current;

    MachineSetup(MachineConfig base) {
        this.base = base;
        this.current = base;
    }

    /**
     * The machines of this module: x86-pae with {@code cpus} CPUs (one per parallel Lincheck
     * thread), one lowmem page, one payload word per page (enough for a page's tag), no
     * statistics, and watchdogs that report a hang under stress within {@link #WATCHDOG}
     * (and {@link #build} stops the machine there), well inside Lincheck's own 30-second limit per run. The caller sets the
     * window and the highmem pages.
     */
    static MachineConfig.Builder machine(int cpus) {
        return MachineConfig.builder(Profile.X86_PAE).cpus(cpus).lowmemPages(1).payloadWords(1)
                .statistics(false).lockupTimeout(WATCHDOG).hungTaskTimeout(WATCHDOG);
    }

    /** The lockup and hung-task timeouts of {@link #machine(int)}. */
    static final Duration WATCHDOG = Duration.ofSeconds(2);

    /**
     * A fresh machine of the current configuration. Its lockup and hung-task reports stop it
     * ({@code smp_send_stop}): the model's CPUs go on waiting after a report, the test's
     * operations must end.
     */
    Machine build() {
        Machine m = Machine.build(current);
        m.log().addListener(r -> {
            if (r.kind().hang()) {
                m.smpSendStop(r);
            }
        });
        return m;
    }

    /** The current configuration. */
    MachineConfig config() {
        return current;
    }

    /** A scope until whose end machines have {@code fault} switched on. */
    Variant withFault(Fault fault) {
        return with(base.toBuilder().fault(fault).build());
    }

    /** A scope until whose end kernel spinlocks use the strategy named {@code lock}. */
    Variant withLock(String lock) {
        return with(base.toBuilder().lock(lock).build());
    }

    private Variant with(MachineConfig variant) {
        current = variant;
        return new Variant();
    }

    /** Restores the base configuration when closed. */
    final class Variant implements AutoCloseable {
        @Override
        public void close() {
            current = base;
        }
    }
}
