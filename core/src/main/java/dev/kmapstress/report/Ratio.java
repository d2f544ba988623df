package dev.kmapstress.report;

/**
 * The ratio of two scores with its error, propagated from the scores' errors in quadrature
 * (relative errors add as squares); NaN error when either score has none.
 */
public record Ratio(double value, double error) {

    /** {@code numerator / denominator}. */
    public static Ratio of(Metric numerator, Metric denominator) {
        double value = numerator.score() / denominator.score();
        double rn = numerator.error() / numerator.score();
        double rd = denominator.error() / denominator.score();
        return new Ratio(value, Math.abs(value) * Math.sqrt(rn * rn + rd * rd));
    }

    /** The interval's lower end. */
    public double lower() {
        return Double.isNaN(error) ? value : value - error;
    }

    /** The interval's upper end. */
    public double upper() {
        return Double.isNaN(error) ? value : value + error;
    }

    /** Whether {@code threshold} lies inside the interval, so the verdict could go either way. */
    public boolean straddles(double threshold) {
        return lower() < threshold && threshold < upper();
    }

    /** {@code value ± error}. */
    public String format() {
        return Numbers.format(value) + " ± " + (Double.isNaN(error) ? "?" : Numbers.format(error));
    }
}
