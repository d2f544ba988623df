package dev.kmapstress.report;

/**
 * One JMH score: the mean, the half-width of its 99.9 % confidence interval (NaN when JMH could
 * not estimate it, e.g. from a single iteration) and the unit.
 */
public record Metric(double score, double error, String unit) {

    /** Whether JMH estimated an error. */
    public boolean hasError() {
        return !Double.isNaN(error);
    }

    /** The interval's lower end (the score itself without an error estimate). */
    public double lower() {
        return hasError() ? score - error : score;
    }

    /** The interval's upper end (the score itself without an error estimate). */
    public double upper() {
        return hasError() ? score + error : score;
    }

    /** Whether the two confidence intervals share a point. */
    public boolean overlaps(Metric other) {
        return lower() <= other.upper() && other.lower() <= upper();
    }

    /** {@code score ± error} with three significant digits, {@code ± ?} without an estimate. */
    public String format() {
        return Numbers.format(score) + " ± " + (hasError() ? Numbers.format(error) : "?");
    }
}
