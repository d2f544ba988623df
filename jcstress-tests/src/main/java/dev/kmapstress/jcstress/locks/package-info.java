/**
 * The lock races every registered lock strategy goes through (mutual exclusion, trylock, kmap
 * under the lock); the build generates one test class per strategy from these bases.
 */
package dev.kmapstress.jcstress.locks;
