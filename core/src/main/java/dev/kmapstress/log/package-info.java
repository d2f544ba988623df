/**
 * The kernel log of a machine: reports (BUG, WARN, lockups, hung tasks, data mismatches) in the
 * kernel's words, counted per kind, and the {@link dev.kmapstress.log.Oops} that carries one.
 *
 * <p>Owns: how a failure is worded and recorded. Uses: nothing of kmap-stress (bottom layer).
 */
package dev.kmapstress.log;
