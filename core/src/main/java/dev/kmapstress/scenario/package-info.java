/**
 * Scenario scripts: a machine line and steps spelled as the kernel's functions, run one CPU at a
 * time through the model's tracepoints, with expectations checked line by line; and the
 * recorder that turns a torture run's last steps into such a script.
 *
 * <p>Owns: the script language, its parser and its step-by-step runner. Uses: the model
 * (kernel, machine, mm, sched, locking, lock), log, settings.
 */
package dev.kmapstress.scenario;
