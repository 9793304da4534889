package dev.tributary.connectors.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.table.TableRules;
import dev.tributary.functions.Execution;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.InvocationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * How a connector function reports: the call timed and metered like any activation, its refusals
 * turned into failures rather than exceptions ({@code InputInvalid} for input that does not fit,
 * {@code LimitExceeded} for a limit, {@code FunctionError} for anything else).
 */
public final class ConnectorCall {

    /** The work of a connector that answers on the caller's thread (a short store call). */
    @FunctionalInterface
    public interface Body {
        JsonNode run();
    }

    private ConnectorCall() {
    }

    public static CompletableFuture<Execution> now(Clock clock, String function, Body body) {
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        InvocationResult result;
        try {
            result = new InvocationResult.Success(body.run());
        } catch (RuntimeException e) {
            result = failure(function, e);
        }
        return CompletableFuture.completedFuture(execution(result, startedAt, start, ""));
    }

    public static Execution execution(InvocationResult result, Instant startedAt, long startNanos, String log) {
        return new Execution(result, startedAt, Duration.ofNanos(System.nanoTime() - startNanos), false, log);
    }

    public static InvocationResult.Failure failure(String function, RuntimeException e) {
        if (e instanceof ConnectorInput.Invalid) {
            return new InvocationResult.Failure(FailureTypes.INPUT_INVALID, e.getMessage());
        }
        if (e instanceof TableRules.ItemTooLarge) {
            return new InvocationResult.Failure(FailureTypes.LIMIT_EXCEEDED, e.getMessage());
        }
        if (e instanceof IllegalArgumentException) { // a name, key or cursor the store refused
            return new InvocationResult.Failure(FailureTypes.INPUT_INVALID, function + ": " + e.getMessage());
        }
        return new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, function + " failed: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
}
