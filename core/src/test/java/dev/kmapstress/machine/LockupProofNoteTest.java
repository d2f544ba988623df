package dev.kmapstress.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.Cpus;
import dev.kmapstress.locking.Spinlock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link LockupProof} reads its note of the CPUs one after another, so the host may deschedule
 * the spinner halfway through it. Checks that a CPU makes meanwhile must not count: the CPU may
 * have spun them before another CPU, not yet noted, released what it waits for.
 */
class LockupProofNoteTest {

    /**
     * CPU 0 holds lock B and spins on lock A, which CPU 1 holds outside any wait; CPU 2 spins on
     * B. The test, as CPU 2's proof, notes CPU 0 and then, before it reaches CPU 1: CPU 0 spins
     * two proofs' worth of checks, the host stops it inside its spin, and CPU 1 releases A and
     * spins on B. The note then shows CPU 0 in one wait with its checks made, and CPUs 1 and 2
     * spinning; but CPU 0 takes A the moment it runs again, so no proof may complete.
     */
    @Test
    void checksMadeWhileTheNoteWasHalfTakenDoNotCount() throws Exception {
        AtomicBoolean freeze = new AtomicBoolean();
        CountDownLatch frozen = new CountDownLatch(1);
        CountDownLatch thaw = new CountDownLatch(1);
        Tracer host = (cpu, point, subject, text) -> {
            if (cpu.id() == 0 && point == Tracepoint.SPIN && freeze.compareAndSet(true, false)) {
                frozen.countDown();
                Cpus.await(thaw);
            }
        };
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 3).lock("ticket")
                .lockupTimeout(Duration.ofMinutes(30)).lockupProof(true).build(), host);
        Spinlock a = m.newSpinlock("lock_a");
        Spinlock b = m.newSpinlock("lock_b");
        Cpu cpu0 = m.cpu(0);
        Cpu cpu1 = m.cpu(1);
        Cpu cpu2 = m.cpu(2);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch releaseA = new CountDownLatch(1);
        Thread t1 = Cpus.start(m, 1, errors, cpu -> {
            a.spinLock(cpu);
            Cpus.await(releaseA);
            a.spinUnlock(cpu);
            b.spinLock(cpu);
            b.spinUnlock(cpu);
        });
        Cpus.await(() -> a.holder() == 1);
        Thread t0 = Cpus.start(m, 0, errors, cpu -> {
            b.spinLock(cpu);
            a.spinLock(cpu);
            a.spinUnlock(cpu);
            b.spinUnlock(cpu);
        });
        Cpus.await(() -> b.holder() == 0 && cpu0.spinningSince() != 0);
        Thread t2 = Cpus.start(m, 2, errors, cpu -> {
            b.spinLock(cpu);
            b.spinUnlock(cpu);
        });
        AtomicBoolean paused = new AtomicBoolean();
        try {
            Cpus.await(() -> cpu2.spinningSince() != 0);
            LockupProof proof = new LockupProof(pausingAtCpu1(m, () -> {
                long start = cpu0.relaxChecks();
                Cpus.await(() -> cpu0.relaxChecks() - start >= 2 * LockupProof.CHECKS);
                freeze.set(true);
                Cpus.await(frozen);
                releaseA.countDown();
                Cpus.await(() -> cpu1.spinningSince() != 0);
                paused.set(true);
            }), cpu2);
            proof.restart();
            assertThat(paused).as("the note paused at CPU 1").isTrue();
            long start1 = cpu1.relaxChecks();
            long start2 = cpu2.relaxChecks();
            AtomicBoolean proven = new AtomicBoolean();
            Cpus.await(() -> {
                if (proof.proven()) {
                    proven.set(true);
                }
                return cpu1.relaxChecks() - start1 >= 4 * LockupProof.CHECKS
                        && cpu2.relaxChecks() - start2 >= 4 * LockupProof.CHECKS;
            });
            assertThat(proven).as("proven from CPU 0's checks before CPU 1 was noted").isFalse();
        } finally {
            thaw.countDown();
            releaseA.countDown();
            Cpus.join(t0, t1, t2);
        }
        assertThat(errors).isEmpty();
        assertThat(m.log().total()).as("the CPUs' own proofs: " + m.log().dmesg()).isZero();
    }

    /** {@code m} as a proof reads it, running {@code meanwhile} the first time it asks for CPU 1. */
    private static MachineContext pausingAtCpu1(Machine m, Runnable meanwhile) {
        AtomicBoolean armed = new AtomicBoolean(true);
        return (MachineContext) Proxy.newProxyInstance(MachineContext.class.getClassLoader(),
                new Class<?>[] {MachineContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("cpu") && (int) args[0] == 1 && armed.compareAndSet(true, false)) {
                        meanwhile.run();
                    }
                    return method.invoke(m, args);
                });
    }
}
