package dev.tributary.engine.api;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Calls into the {@code Engine} without blocking the event loop: synchronous methods (which may
 * wait on the store) run on worker threads, asynchronous ones are adapted so the answer is
 * written back on the request's own context.
 */
final class EngineCalls {

    private final Vertx vertx;

    EngineCalls(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Unordered: requests on the same event loop must not queue behind each other's store calls. */
    <T> Future<T> blocking(Callable<T> call) {
        return vertx.executeBlocking(call, false);
    }

    /** Must be called on the request's context (inside a route handler). */
    <T> Future<T> async(Supplier<CompletableFuture<T>> call) {
        Context context = Vertx.currentContext();
        try {
            return Future.fromCompletionStage(call.get(), context);
        } catch (RuntimeException e) {
            // An engine method that refuses before handing out its future is still a refusal.
            return Future.failedFuture(e);
        }
    }
}
