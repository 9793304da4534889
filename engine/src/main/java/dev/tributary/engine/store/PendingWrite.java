package dev.tributary.engine.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A write waiting in the group committer's queue, with the future its caller holds. */
sealed interface PendingWrite {

    /** Completes the caller's future with what the write returned: nothing for a commit, whether an event was new. */
    void complete(Object result);

    void fail(Throwable failure);

    record Commit(RunCommit commit, CompletableFuture<Void> future) implements PendingWrite {

        String runId() {
            return commit.run().id();
        }

        @Override
        public void complete(Object result) {
            future.complete(null);
        }

        @Override
        public void fail(Throwable failure) {
            future.completeExceptionally(failure);
        }
    }

    record Event(InboxEvent event, CompletableFuture<Boolean> future) implements PendingWrite {

        @Override
        public void complete(Object result) {
            future.complete((Boolean) result);
        }

        @Override
        public void fail(Throwable failure) {
            future.completeExceptionally(failure);
        }
    }

    /** Records what an event fired and, when {@code routed}, marks it routed. */
    record Routed(String eventId, List<RuleFiring> firings, boolean routed, CompletableFuture<Void> future) implements PendingWrite {

        @Override
        public void complete(Object result) {
            future.complete(null);
        }

        @Override
        public void fail(Throwable failure) {
            future.completeExceptionally(failure);
        }
    }
}
