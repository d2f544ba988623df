/**
 * Outcome tests of the PKMAP window (mm/highmem.c): slot allocation, counts, wrap-around
 * flushes and TLB shootdowns raced on two CPUs, each outcome a readable line of the spec.
 */
package dev.kmapstress.jcstress.pkmap;
