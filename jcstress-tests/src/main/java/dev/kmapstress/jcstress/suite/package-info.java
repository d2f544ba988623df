/**
 * The suite runner around JCStress: which tests a run must see results for, the verdict over
 * faithful tests and negative controls, and the summary written to {@code results/jcstress/}.
 *
 * <p>Uses JCStress's own result files and core's fault catalogue.
 */
package dev.kmapstress.jcstress.suite;
