package dev.tributary.engine.node;

import dev.tributary.engine.core.RunState;
import dev.tributary.engine.store.ConcurrentUpdateException;
import dev.tributary.engine.store.DuplicateRunException;
import dev.tributary.engine.store.RunRecord;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A commit whose future failed, kept until its run has settled. A failure may be ambiguous —
 * the transaction may have committed before the connection broke — so it is judged against the
 * stored run: if the row reached this commit's version, the commit landed and only its work is
 * still to hand out; otherwise {@code otherwise} applies (usually: apply the signal again).
 */
record FailedCommit(long version, Throwable cause, RunDriver.Committed committed, CompletableFuture<RunState> result,
                    Consumer<Throwable> otherwise) {

    /**
     * Whether the commit is durable after all. A compare-and-set miss or a taken idempotency key
     * is a definite "no": another writer's row must not be mistaken for ours.
     */
    boolean landed(Optional<RunRecord> stored) {
        boolean definite = cause instanceof ConcurrentUpdateException || cause instanceof DuplicateRunException;
        return !definite && stored.isPresent() && stored.get().version() >= version;
    }
}
