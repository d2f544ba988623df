package dev.kmapstress.report;

import java.math.BigDecimal;
import java.math.MathContext;

/** Number formatting for reports: three significant digits, plain notation, no trailing zeros. */
final class Numbers {

    private Numbers() {
    }

    /** {@code value} with three significant digits ({@code 0.000123}, {@code 12.3}, {@code 12300}). */
    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == 0) {
            return "0";
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
