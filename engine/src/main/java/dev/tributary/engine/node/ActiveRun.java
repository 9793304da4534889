package dev.tributary.engine.node;

import dev.tributary.engine.core.RunState;
import dev.tributary.engine.core.WorkflowPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * A run cached on its shard thread (and only touched there): its newest state, which may be
 * ahead of the store by the commits still in flight, and the row version that state will have.
 *
 * <p>When a commit fails, the cached state can no longer be trusted: the run turns {@code stale},
 * new work for it waits in {@link #deferred}, and once no commit of it is in flight its
 * {@link #failures} are judged against the store and it is dropped, to be reloaded from the
 * store, which by then holds exactly what was durably committed.
 */
final class ActiveRun {

    final WorkflowPlan plan;
    final String idempotencyKey;
    RunState state;
    long version;
    int inflight;
    boolean stale;
    final List<Runnable> deferred = new ArrayList<>();
    /** Commits that failed while this state was cached, judged against the store once the run settles. */
    final List<FailedCommit> failures = new ArrayList<>();

    ActiveRun(WorkflowPlan plan, String idempotencyKey, RunState state, long version) {
        this.plan = plan;
        this.idempotencyKey = idempotencyKey;
        this.state = state;
        this.version = version;
    }

    /** Nothing in flight and nothing more will happen to it: it may leave the cache. */
    boolean settled() {
        return inflight == 0 && (stale || state.status().isFinal());
    }

    boolean evictable() {
        return inflight == 0 && deferred.isEmpty() && failures.isEmpty();
    }
}
