/**
 * Outcome tests of map_new_virtual's sleep and kunmap_high's wake-up on a full window: no
 * wake-up lost, a woken waiter rechecks, at the narrowest windows there are.
 */
package dev.kmapstress.jcstress.blocking;
