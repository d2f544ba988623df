package dev.kmapstress.lincheck;

/**
 * The sequential specification of {@link LockStrategyTest}: a counter whose increment returns
 * the new value and whose read returns the current one, as decimal strings.
 */
public final class CounterSpec {

    private int value;

    public String increment(int tid) {
        return Integer.toString(++value);
    }

    public String get(int tid) {
        return Integer.toString(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CounterSpec c && c.value == value;
    }

    @Override
    public int hashCode() {
        return value;
    }
}
