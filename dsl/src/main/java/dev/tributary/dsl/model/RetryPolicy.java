package dev.tributary.dsl.model;

import java.time.Duration;
import java.util.Set;

/**
 * How a failed {@code call} or {@code workflow} step is tried again before {@code catch} applies.
 * The delay before attempt n+1 is {@code min(delay × backoff^(n-1), maxDelay)}, drawn uniformly
 * from [0, that] when {@code jitter} is on ("full jitter").
 *
 * @param errors the error types retried; empty means every type except the ones retrying cannot
 *               fix ({@link #NEVER_RETRIED}), and {@code any} in the list means every type
 */
public record RetryPolicy(int maxAttempts, Duration delay, double backoff, Duration maxDelay, boolean jitter, Set<String> errors) {

    /** Errors that another attempt of the same step would only repeat. */
    public static final Set<String> NEVER_RETRIED = Set.of(
            "InputInvalid", "ExpressionError", "FunctionNotFound", "Cancelled", "LimitExceeded");

    /** The SPEC's default for {@code call} and {@code workflow} steps. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), true, Set.of());

    /** {@code retry: none}. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO, false, Set.of());

    public RetryPolicy {
        errors = Set.copyOf(errors);
    }

    /** Whether an error of this type, on attempt {@code attempt} (from 1), is tried again. */
    public boolean retries(String errorType, int attempt) {
        if (attempt >= maxAttempts) {
            return false;
        }
        if (errors.isEmpty()) {
            return !NEVER_RETRIED.contains(errorType);
        }
        return errors.contains(errorType) || errors.contains(Catcher.ANY);
    }

    /** The longest the wait before attempt {@code attempt + 1} may be (before jitter). */
    public Duration ceilingAfter(int attempt) {
        double millis = delay.toMillis() * Math.pow(backoff, Math.max(0, attempt - 1));
        long capped = (long) Math.min(millis, (double) maxDelay.toMillis());
        return Duration.ofMillis(Math.max(0, capped));
    }
}
