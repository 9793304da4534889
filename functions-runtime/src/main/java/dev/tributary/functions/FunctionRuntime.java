package dev.tributary.functions;

import java.util.concurrent.CompletableFuture;

/**
 * Runs the functions of one {@link dev.tributary.dsl.model.FunctionDef.Runtime}. {@link Functions}
 * picks the runtime, checks the input, resolves the environment and turns anything thrown into a
 * failure; an implementation runs the code, enforces the job's timeout (killing what it started)
 * and reports how it went.
 */
@FunctionalInterface
public interface FunctionRuntime {

    CompletableFuture<Execution> invoke(Job job);
}
