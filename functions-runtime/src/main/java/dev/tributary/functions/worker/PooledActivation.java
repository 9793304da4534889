package dev.tributary.functions.worker;

import dev.tributary.functions.Execution;
import dev.tributary.functions.Job;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** One job in a pool: waiting in line, waiting for its cold worker, or running on a worker. Guarded by the pool. */
final class PooledActivation {

    enum State { WAITING, STARTING, RUNNING }

    final Job job;
    final long deadlineEpochMillis;
    final CompletableFuture<Execution> result;
    private final AtomicBoolean finished = new AtomicBoolean();
    State state = State.WAITING;
    ScheduledFuture<?> timeout;
    WorkerStart start;
    Worker worker;
    boolean coldStart;
    long tookWorkerNanos;
    Instant startedAt;

    PooledActivation(Job job, long deadlineEpochMillis, CompletableFuture<Execution> result) {
        this.job = job;
        this.deadlineEpochMillis = deadlineEpochMillis;
        this.result = result;
    }

    /** Claims the right to answer; only the first caller gets true. */
    boolean finish() {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
        return true;
    }

    boolean isFinished() {
        return finished.get();
    }
}
