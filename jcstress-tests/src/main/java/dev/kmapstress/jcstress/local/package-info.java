/**
 * Outcome tests of kmap_local_page and kmap_atomic: per-CPU fixmap slots, interrupts nesting on
 * the stack, and a preempted task getting its mappings back at sched_in.
 */
package dev.kmapstress.jcstress.local;
