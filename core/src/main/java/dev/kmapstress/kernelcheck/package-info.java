/**
 * kernel-check: a scenario run by the real kernel and by the model, compared line by line.
 * {@link dev.kmapstress.kernelcheck.KernelScript} turns a scenario into the steps our kernel
 * module runs (one kthread per CPU) inside Debian's 6.1 i386 kernel under qemu;
 * {@link dev.kmapstress.kernelcheck.KernelLog} reads the serial console back into the scenario
 * format; {@link dev.kmapstress.kernelcheck.Normalise} holds the rules for what may legitimately
 * differ (pids, code offsets); {@link dev.kmapstress.kernelcheck.KernelCheck} runs both sides
 * and diffs them. The module, its initramfs and the install and boot scripts live in the
 * repository's {@code kernel-check/} folder.
 */
package dev.kmapstress.kernelcheck;
