/**
 * Lincheck checks of the model's operations: linearizability of kmap/kunmap, page_address and
 * kmap_local against sequential specifications, stress and model checking, each lock strategy's
 * mutual exclusion, and the negative controls the seeded faults must fail.
 *
 * <p>Uses core's public API only; tests, never a second model.
 */
package dev.kmapstress.lincheck;
