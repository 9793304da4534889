package dev.tributary.functions;

import java.util.concurrent.CompletableFuture;

/**
 * The one port through which the engine runs functions, whatever their runtime. The future never
 * completes exceptionally: every failure is an {@link Activation} whose result is an
 * {@link InvocationResult.Failure} with an error type a workflow can {@code catch}.
 */
public interface FunctionInvoker {

    CompletableFuture<Activation> invoke(Invocation invocation);
}
