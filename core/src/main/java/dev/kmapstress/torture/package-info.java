/**
 * The torture harness, locktorture's counterpart: {@link dev.kmapstress.torture.TortureRunner}
 * runs one worker thread per CPU over a workload of activities (the ops table:
 * {@link dev.kmapstress.torture.Activities}), verifies every page through its mapping, prints
 * statistics every interval, watches for hangs and returns a typed
 * {@link dev.kmapstress.torture.TortureResult}; {@link dev.kmapstress.torture.TortureConfig}
 * holds the machine's configuration plus the run's settings table.
 *
 * <p>Owns: runs, their configuration and their in-memory results. Uses: the model (kernel,
 * machine, mm, sched, locking, lock), boot (sizing from a boot), scenario (recording the last
 * steps as a script), log, fault, settings. Never results, report or cli: files are written
 * above it.
 */
package dev.kmapstress.torture;
