package dev.tributary.functions;

import dev.tributary.dsl.model.FunctionDef;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's {@link FunctionInvoker}: routes a built-in connector by its name and any other
 * function by its runtime, checks the input size, bounds the activation by its timeout and turns
 * every exception into a {@link InvocationResult.Failure}, so the returned future never fails.
 */
public final class Functions implements FunctionInvoker {

    /** SPEC §4: function input and result. */
    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1L << 20;

    private final Map<FunctionDef.Runtime, FunctionRuntime> runtimes;
    private final Map<String, FunctionRuntime> connectors;
    private final long maxInputBytes;

    private Functions(Map<FunctionDef.Runtime, FunctionRuntime> runtimes, Map<String, FunctionRuntime> connectors,
                      long maxInputBytes) {
        this.runtimes = new EnumMap<>(runtimes);
        this.connectors = Map.copyOf(connectors);
        this.maxInputBytes = maxInputBytes;
    }

    /**
     * What a node runs today: the {@code expr} runtime; every other runtime and every connector
     * answers {@code Unavailable} until it is written.
     */
    public static Functions withDefaults(Clock clock) {
        return builder().runtime(FunctionDef.Runtime.EXPR, new ExprRuntime(clock, DEFAULT_MAX_PAYLOAD_BYTES)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletableFuture<InvocationResult> invoke(Invocation invocation) {
        FunctionDef function = invocation.function();
        if (JsonSize.exceeds(invocation.input(), maxInputBytes)) {
            return failed(FailureTypes.LIMIT_EXCEEDED, "the input of function '" + function.name()
                    + "' is over the limit 'function input' of " + maxInputBytes + " bytes");
        }
        FunctionRuntime runtime = runtimeFor(function);
        CompletableFuture<InvocationResult> activation;
        try {
            activation = runtime.invoke(invocation);
        } catch (RuntimeException e) {
            activation = CompletableFuture.failedFuture(e);
        }
        Duration timeout = invocation.timeout() != null ? invocation.timeout() : function.limits().timeout();
        return activation
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, error) -> error == null ? result : failure(function, timeout, error));
    }

    private FunctionRuntime runtimeFor(FunctionDef function) {
        if (BuiltInFunctions.isBuiltIn(function.name())) {
            return connectors.getOrDefault(function.name(), UnavailableRuntime.forConnector(function.name()));
        }
        return runtimes.getOrDefault(function.runtime(), UnavailableRuntime.forRuntime(function.runtime().key()));
    }

    private static InvocationResult failure(FunctionDef function, Duration timeout, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
            return new InvocationResult.Failure(FailureTypes.TIMEOUT,
                    "function '" + function.name() + "' did not finish within " + timeout);
        }
        return new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, "function '" + function.name() + "' failed: "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }

    private static CompletableFuture<InvocationResult> failed(String type, String message) {
        return CompletableFuture.completedFuture(new InvocationResult.Failure(type, message));
    }

    /** Explicit registration of runtimes and connectors; anything not registered is {@code Unavailable}. */
    public static final class Builder {
        private final Map<FunctionDef.Runtime, FunctionRuntime> runtimes = new EnumMap<>(FunctionDef.Runtime.class);
        private final Map<String, FunctionRuntime> connectors = new HashMap<>();
        private long maxInputBytes = DEFAULT_MAX_PAYLOAD_BYTES;

        private Builder() {
        }

        public Builder runtime(FunctionDef.Runtime runtime, FunctionRuntime implementation) {
            runtimes.put(runtime, implementation);
            return this;
        }

        /** A built-in connector function, by its name (e.g. {@code table.put}). */
        public Builder connector(String name, FunctionRuntime implementation) {
            if (!BuiltInFunctions.isBuiltIn(name)) {
                throw new IllegalArgumentException("Expected a built-in connector name, but '" + name + "' is not one");
            }
            connectors.put(name, implementation);
            return this;
        }

        public Builder maxInputBytes(long bytes) {
            this.maxInputBytes = bytes;
            return this;
        }

        public Functions build() {
            return new Functions(runtimes, connectors, maxInputBytes);
        }
    }
}
