package dev.tributary.functions;

import java.util.concurrent.CompletableFuture;

/** Stands in for a runtime this node cannot run yet: every activation fails with {@code Unavailable}. */
public final class UnavailableRuntime implements FunctionRuntime {

    private final String message;

    private UnavailableRuntime(String message) {
        this.message = message;
    }

    /** For a runtime such as {@code python}: "the python runtime is not available yet on this node". */
    public static UnavailableRuntime forRuntime(String runtime) {
        return new UnavailableRuntime("the " + runtime + " runtime is not available yet on this node");
    }

    /** For a built-in connector function such as {@code table.put}. */
    public static UnavailableRuntime forConnector(String function) {
        return new UnavailableRuntime("the built-in connector '" + function + "' is not available yet on this node");
    }

    @Override
    public CompletableFuture<InvocationResult> invoke(Invocation invocation) {
        return CompletableFuture.completedFuture(new InvocationResult.Failure(FailureTypes.UNAVAILABLE, message));
    }
}
