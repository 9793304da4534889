package dev.tributary.dsl.expr;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on one evaluation of an expression.
 *
 * @param maxEvaluationTime how long one evaluation may run before it is stopped with an {@link ExpressionError}
 * @param maxResultChars    the most characters of any string an expression produces (by {@code +}, a string
 *                          method, a built-in function or interpolation), and the approximate most characters
 *                          of the compact JSON of a value it builds
 */
public record ExpressionLimits(Duration maxEvaluationTime, int maxResultChars) {

    public ExpressionLimits {
        Objects.requireNonNull(maxEvaluationTime, "maxEvaluationTime");
        if (maxEvaluationTime.isNegative() || maxEvaluationTime.isZero()) {
            throw new IllegalArgumentException("maxEvaluationTime must be positive, got " + maxEvaluationTime);
        }
        if (maxResultChars < 16) {
            throw new IllegalArgumentException("maxResultChars must be at least 16, got " + maxResultChars);
        }
    }

    /** 100 ms and 1 MiB characters. */
    public static ExpressionLimits defaults() {
        return new ExpressionLimits(Duration.ofMillis(100), 1_048_576);
    }
}
