/**
 * The results files of torture and compare: typed records read back by Jackson
 * ({@link dev.kmapstress.results.TortureFile}, {@link dev.kmapstress.results.CompareFile}), the
 * one environment recorder ({@link dev.kmapstress.results.Environment}: date, version, commit,
 * JDK, OS, CPU, load at start and end), the one atomic writer
 * ({@link dev.kmapstress.results.AtomicFiles}) and the schema versions
 * ({@link dev.kmapstress.results.Schema}).
 *
 * <p>Owns: the file formats. Uses: the harnesses' result records (torture, compare).
 */
package dev.kmapstress.results;
