/**
 * Comparisons of lock and wait strategies that give the same answer twice: every configuration
 * (lock x wait strategy x workload x CPU count) measured in rounds, each in a JVM of its own
 * ({@link dev.kmapstress.compare.Fork}), the rounds of all configurations interleaved in
 * seeded blocks ({@link dev.kmapstress.compare.RoundSchedule}); per configuration the median
 * with a distribution-free interval, 95 % or more from 6 rounds ({@link dev.kmapstress.compare.MedianInterval}), rank
 * groups where intervals overlap ({@link dev.kmapstress.compare.RankGroups}) and a split-half
 * check ({@link dev.kmapstress.compare.SplitHalf}); shards for many machines; the table and
 * charts ({@link dev.kmapstress.compare.RankTable}, {@link dev.kmapstress.compare.IntervalChart}).
 *
 * <p>Owns: a comparison's own settings ({@link dev.kmapstress.compare.CompareSettings}), the round
 * runner and the forks' server, the statistics, the rows and their rendering. Uses: torture (a
 * client of it), the machine base, the lock registry and wait strategies (to name what it
 * compares), settings, commons-math3. Never results, report or cli.
 */
package dev.kmapstress.compare;
