package dev.kmapstress.lock.strategies;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Words that never share a cache line: an {@code int[]} cut into lines of 128 bytes (two
 * 64-byte lines, so the adjacent-line prefetcher does not pair them either), with one spare
 * line before the first, so that neither the array header nor the object before it shares a
 * line with a lock word.
 *
 * <p>Why an array: HotSpot lays out an object's fields by size, not in declaration order, so
 * padding fields around a field do not reliably surround it; array elements keep their order.
 * Access goes through {@link #INT} with the memory order each strategy needs.
 */
final class Padded {

    /** Ints per line: 128 bytes. */
    static final int LINE_INTS = 32;

    /** The VarHandle for every padded word. */
    static final VarHandle INT = MethodHandles.arrayElementVarHandle(int[].class);

    private Padded() {
    }

    /** An array of {@code lines} padded lines, all words 0. */
    static int[] lines(int lines) {
        return new int[(lines + 2) * LINE_INTS];
    }

    /** The index of word {@code word} (a few at most) of line {@code line}. */
    static int at(int line, int word) {
        return (line + 1) * LINE_INTS + word;
    }
}
