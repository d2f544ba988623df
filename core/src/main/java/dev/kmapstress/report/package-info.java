/**
 * {@code results/REPORT.md}: JMH results files read and checked, targets evaluated with their
 * errors, charts drawn, torture and compare results files tabulated, and two JMH runs compared.
 *
 * <p>Owns: reading JMH files and rendering the report. Uses: results (files, environment),
 * compare (its table), torture (its result records).
 */
package dev.kmapstress.report;
