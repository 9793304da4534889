package dev.tributary.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.expr.EvalContext;
import dev.tributary.dsl.expr.ExpressionError;
import dev.tributary.dsl.model.FunctionDef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code expr} runtime (SPEC §2.3): evaluates the function's {@code expr:} template over
 * {@code input}. Expressions are sandboxed and bounded in time by the DSL, so the evaluation
 * runs on the caller's thread and the future is complete on return.
 */
public final class ExprRuntime implements FunctionRuntime {

    private final Clock clock;
    private final long maxResultBytes;

    public ExprRuntime(Clock clock, long maxResultBytes) {
        this.clock = clock;
        this.maxResultBytes = maxResultBytes;
    }

    @Override
    public CompletableFuture<Execution> invoke(Job job) {
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        InvocationResult result = evaluate(job.invocation());
        return CompletableFuture.completedFuture(
                new Execution(result, startedAt, Duration.ofNanos(System.nanoTime() - start), false, ""));
    }

    private InvocationResult evaluate(Invocation invocation) {
        FunctionDef function = invocation.function();
        if (function.expr() == null) {
            return new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR,
                    "Expected function '" + function.name() + "' to have an 'expr', but it has none");
        }
        JsonNode result;
        try {
            EvalContext context = EvalContext.builder().input(invocation.input()).now(clock.instant()).build();
            result = function.expr().evaluate(context);
        } catch (ExpressionError e) {
            return new InvocationResult.Failure(FailureTypes.EXPRESSION_ERROR, e.getMessage());
        }
        if (JsonSize.exceeds(result, maxResultBytes)) {
            return new InvocationResult.Failure(FailureTypes.LIMIT_EXCEEDED, "the result of function '" + function.name()
                    + "' is over the limit 'function result' of " + maxResultBytes + " bytes");
        }
        return new InvocationResult.Success(result);
    }
}
