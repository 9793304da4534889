package dev.tributary.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.expr.EvalContext;
import dev.tributary.dsl.expr.ExpressionError;
import dev.tributary.dsl.expr.Redactions;
import dev.tributary.dsl.expr.SecretResolver;
import dev.tributary.dsl.expr.ValueTemplate;
import dev.tributary.dsl.model.FunctionDef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's {@link FunctionInvoker}: routes a built-in connector by its name and any other
 * function by its runtime, checks the input size, resolves the function's {@code env}, and turns
 * whatever the runtime reports into a metered {@link Activation}. Runtimes enforce timeouts
 * themselves; a backstop a little later catches one that does not answer at all. The returned
 * future never fails.
 */
public final class Functions implements FunctionInvoker {

    /** SPEC §4: function input and result. */
    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1L << 20;
    /** How long past its timeout a runtime may take to report the kill before the activation is failed anyway. */
    static final Duration DEFAULT_BACKSTOP_GRACE = Duration.ofSeconds(5);

    private final Map<FunctionDef.Runtime, FunctionRuntime> runtimes;
    private final Map<String, FunctionRuntime> connectors;
    private final long maxInputBytes;
    private final Metering metering;
    private final SecretResolver secrets;
    private final Clock clock;
    private final Duration backstopGrace;

    private Functions(Builder b) {
        this.runtimes = new EnumMap<>(b.runtimes);
        this.connectors = Map.copyOf(b.connectors);
        this.maxInputBytes = b.maxInputBytes;
        this.metering = b.metering;
        this.secrets = b.secrets;
        this.clock = b.clock;
        this.backstopGrace = b.backstopGrace;
    }

    /** Only the {@code expr} runtime: what in-process tests need; anything else answers {@code Unavailable}. */
    public static Functions withDefaults(Clock clock) {
        return builder().clock(clock).runtime(FunctionDef.Runtime.EXPR, new ExprRuntime(clock, DEFAULT_MAX_PAYLOAD_BYTES)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletableFuture<Activation> invoke(Invocation invocation) {
        FunctionDef function = invocation.function();
        Instant asked = clock.instant();
        if (JsonSize.exceeds(invocation.input(), maxInputBytes)) {
            return refused(invocation, asked, FailureTypes.LIMIT_EXCEEDED, "the input of function '" + function.name()
                    + "' is over the limit 'function input' of " + maxInputBytes + " bytes");
        }
        EvalContext envContext = EvalContext.builder().now(clock.instant()).secrets(secrets).build();
        Map<String, String> env;
        try {
            env = environment(function, envContext);
        } catch (ExpressionError e) {
            return refused(invocation, asked, FailureTypes.EXPRESSION_ERROR,
                    "the env of function '" + function.name() + "' could not be resolved: " + e.getMessage());
        }
        FunctionRuntime runtime = runtimeFor(function);
        if (runtime == null) {
            return refused(invocation, asked, FailureTypes.UNAVAILABLE, BuiltInFunctions.isBuiltIn(function.name())
                    ? "the built-in connector '" + function.name() + "' is not available yet on this node"
                    : "the " + function.runtime().key() + " runtime is not available on this node");
        }
        Duration timeout = invocation.effectiveTimeout();
        CompletableFuture<Execution> execution;
        try {
            execution = runtime.invoke(new Job(invocation, env, timeout));
        } catch (RuntimeException e) {
            execution = CompletableFuture.failedFuture(e);
        }
        return execution
                .orTimeout(timeout.plus(backstopGrace).toMillis(), TimeUnit.MILLISECONDS)
                .handle((done, error) -> error == null ? done : failed(function, timeout, asked, error))
                .thenApply(done -> activation(invocation, masked(done, envContext.redactions())));
    }

    /** The runtime or connector that runs {@code function}, or null when this node has none for it. */
    private FunctionRuntime runtimeFor(FunctionDef function) {
        return BuiltInFunctions.isBuiltIn(function.name()) ? connectors.get(function.name()) : runtimes.get(function.runtime());
    }

    /** The function's declared environment, its expressions evaluated (secrets resolved, and noted in {@code context}) now. */
    private static Map<String, String> environment(FunctionDef function, EvalContext context) {
        if (function.env().isEmpty()) {
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, ValueTemplate> entry : function.env().entrySet()) {
            JsonNode value = entry.getValue().evaluate(context);
            env.put(entry.getKey(), value == null || value.isNull() ? "" : value.isTextual() ? value.asText() : value.toString());
        }
        return env;
    }

    /**
     * The execution with every secret value its env received masked in its logs and error message (SPEC §2.2:
     * never in logs or errors). The result is the function's own answer and is left as it is.
     */
    private static Execution masked(Execution execution, Redactions secrets) {
        if (secrets.isEmpty()) {
            return execution;
        }
        InvocationResult result = execution.result() instanceof InvocationResult.Failure failure
                ? new InvocationResult.Failure(failure.type(), secrets.redact(failure.message()))
                : execution.result();
        return new Execution(result, execution.startedAt(), execution.duration(), execution.coldStart(),
                secrets.redact(execution.logs()));
    }

    private Activation activation(Invocation invocation, Execution execution) {
        FunctionDef function = invocation.function();
        int memoryMb = function.limits().memoryMb();
        double gbSeconds = metering.gbSeconds(memoryMb, execution.duration());
        return new Activation(invocation.activationId(), function.name(), invocation.version(), invocation.runId(),
                invocation.step(), invocation.attempt(), invocation.idempotencyKey(), execution.startedAt(),
                execution.duration(), memoryMb, gbSeconds, metering.cost(gbSeconds), execution.coldStart(),
                execution.result(), execution.logs());
    }

    private Execution failed(FunctionDef function, Duration timeout, Instant asked, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        Duration took = Duration.between(asked, clock.instant());
        if (cause instanceof TimeoutException) {
            return new Execution(new InvocationResult.Failure(FailureTypes.TIMEOUT,
                    "function '" + function.name() + "' did not finish within " + timeout), asked, took, false, "");
        }
        return new Execution(new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, "function '" + function.name()
                + "' failed: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())),
                asked, took, false, "");
    }

    private CompletableFuture<Activation> refused(Invocation invocation, Instant asked, String type, String message) {
        Execution none = new Execution(new InvocationResult.Failure(type, message), asked, Duration.ZERO, false, "");
        return CompletableFuture.completedFuture(activation(invocation, none));
    }

    /** Explicit registration of runtimes and connectors; anything not registered is {@code Unavailable}. */
    public static final class Builder {
        private final Map<FunctionDef.Runtime, FunctionRuntime> runtimes = new EnumMap<>(FunctionDef.Runtime.class);
        private final Map<String, FunctionRuntime> connectors = new HashMap<>();
        private long maxInputBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private Metering metering = Metering.defaults();
        private SecretResolver secrets = SecretResolver.NONE;
        private Clock clock = Clock.systemUTC();
        private Duration backstopGrace = DEFAULT_BACKSTOP_GRACE;

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

        public Builder metering(Metering metering) {
            this.metering = metering;
            return this;
        }

        /** Where {@code secret(name)} in a function's {@code env} looks values up. */
        public Builder secrets(SecretResolver secrets) {
            this.secrets = secrets;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How long past its timeout a runtime may take to report before the activation fails without it. */
        public Builder backstopGrace(Duration grace) {
            this.backstopGrace = grace;
            return this;
        }

        public Functions build() {
            return new Functions(this);
        }
    }
}
