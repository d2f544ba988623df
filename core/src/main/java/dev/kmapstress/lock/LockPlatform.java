package dev.kmapstress.lock;

/**
 * What a lock strategy may know of the machine whose locks it makes: how many CPUs it has, and
 * whether it runs under a hypervisor (x86's X86_FEATURE_HYPERVISOR, {@code hypervisor=true}),
 * which is what turns {@code virt_spin_lock} on for the native qspinlock.
 */
public record LockPlatform(int nrCpus, boolean hypervisor) {
}
