/**
 * The JMH benchmarks of the model's paths (kmap_high hit and miss, kmap_local, page_address,
 * the flusher and hand-off contention) and the baselines they are measured against, plus
 * {@code RunMatrix}, which runs a selection and writes JMH's JSON with its environment sidecar
 * into {@code results/jmh/}. Figures live there and in {@code results/REPORT.md}, never here.
 *
 * <p>Uses core's public API (machine, mm, lock, results); holds benchmarks only, no second model.
 */
package dev.kmapstress.bench;
