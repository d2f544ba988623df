/**
 * Comparisons of lock and wait strategies: the same torture workload once per strategy, rows
 * ranked by throughput, rendered once through {@link dev.kmapstress.compare.CompareTable}'s
 * columns as text, Markdown and XChart charts.
 *
 * <p>Owns: the comparison runner, its rows and their rendering. Uses: torture (a client of it),
 * the machine base. Never results, report or cli.
 */
package dev.kmapstress.compare;
