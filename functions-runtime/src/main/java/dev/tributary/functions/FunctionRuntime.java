package dev.tributary.functions;

import dev.tributary.dsl.model.FunctionDef;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the functions of one {@link FunctionDef.Runtime}. {@link Functions} picks the runtime by
 * the function's definition, bounds the activation's time and turns anything thrown into a
 * failure, so an implementation only has to run the code.
 */
@FunctionalInterface
public interface FunctionRuntime {

    CompletableFuture<InvocationResult> invoke(Invocation invocation);
}
