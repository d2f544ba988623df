/**
 * Outcome tests of PKMAP cache colours (the aliasing-cache profile): a page stays in its colour,
 * and each colour's wait queue is woken by its own kunmaps.
 */
package dev.kmapstress.jcstress.colour;
