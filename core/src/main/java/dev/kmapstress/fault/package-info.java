/**
 * The catalogue of seeded faults: named, default-off switches, each one realistic mistake in one
 * step of the faithful model, and the instruments that must catch each.
 *
 * <p>Owns: which faults exist and what each changes. Uses: nothing of kmap-stress (bottom layer).
 */
package dev.kmapstress.fault;
