/**
 * What every JCStress test of the suite shares: a small machine built per sample, the
 * annotations naming a test's seeded-fault controls, and the generated negative controls.
 *
 * <p>Uses core's public API only.
 */
package dev.kmapstress.jcstress.support;
