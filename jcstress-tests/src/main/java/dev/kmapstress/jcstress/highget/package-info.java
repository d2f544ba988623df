/**
 * Outcome tests of kmap_high_get (arm-like profile): pinning a mapping against kunmap_high and
 * the flush, from a task and from an interrupt with kmap_lock taken IRQ-off.
 */
package dev.kmapstress.jcstress.highget;
