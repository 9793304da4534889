package dev.tributary.engine.node;

import dev.tributary.engine.core.Command;
import dev.tributary.engine.core.Interpreter;
import dev.tributary.engine.core.RunState;
import dev.tributary.engine.core.Signal;
import dev.tributary.engine.core.Transition;
import dev.tributary.engine.core.WorkflowPlan;
import dev.tributary.engine.store.ConcurrentUpdateException;
import dev.tributary.engine.store.DuplicateRunException;
import dev.tributary.engine.store.RunCommit;
import dev.tributary.engine.store.RunRecord;
import dev.tributary.engine.store.RunStore;
import dev.tributary.engine.store.Task;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives runs: applies each signal to its run with the {@link Interpreter} and commits the
 * transition. Runs are sharded by id over single-threaded executors, so one run's signals are
 * applied one at a time and the core needs no locks.
 *
 * <p>The shard thread never waits for durability: it updates its cached state at once and goes
 * on with the next signal, while the store groups the commits of many runs into one transaction.
 * A run's commands are handed to the {@link CommitListener} only once their commit is durable
 * (transactional outbox), and the caller's future completes then too.
 *
 * <p>A failed commit makes the cached run stale; once its commits in flight have settled, it is
 * reloaded from the store and the signal is applied again (a signal whose operation is no
 * longer pending changes nothing, so a commit that did succeed after all is not applied twice).
 */
public final class RunDriver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunDriver.class);
    private static final int MAX_ATTEMPTS = 8;
    private static final long FIRST_RETRY_DELAY_MS = 20;

    /** Start a run: the plan of its workflow version, the start signal and its idempotency key (or null). */
    public record StartRun(WorkflowPlan plan, Signal.Start signal, String idempotencyKey) {

        String runId() {
            return signal.run().id();
        }
    }

    /** A durable transition and the work it asks for: its new tasks, and its commands (in-memory ones included). */
    public record Committed(RunState state, List<Task> tasks, List<Command> commands, boolean started) {
    }

    /** Told of every durable transition, on the run's shard thread: hand work off, never block. */
    @FunctionalInterface
    public interface CommitListener {
        void committed(Committed committed);
    }

    private final RunStore store;
    private final Interpreter interpreter;
    private final Definitions definitions;
    private final EngineMetrics metrics;
    private final CommitListener listener;
    private final InlineCalls inline;
    private final Shard[] shards;
    private final ScheduledExecutorService retries;

    public RunDriver(RunStore store, Interpreter interpreter, Definitions definitions, EngineMetrics metrics, int shardCount,
                     int cachedRunsPerShard, InlineCalls inline, CommitListener listener) {
        this.inline = inline;
        this.store = store;
        this.interpreter = interpreter;
        this.definitions = definitions;
        this.metrics = metrics;
        this.listener = listener;
        this.shards = new Shard[shardCount];
        for (int i = 0; i < shardCount; i++) {
            shards[i] = new Shard(i, cachedRunsPerShard);
        }
        this.retries = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("tributary-run-retry"));
    }

    /**
     * Starts a run once its start is durable. An existing run with the same id (a child run
     * started again after a crash) or with the same workflow and idempotency key is returned as it is.
     */
    public CompletableFuture<RunState> start(StartRun request) {
        CompletableFuture<RunState> result = new CompletableFuture<>();
        Shard shard = shardOf(request.runId());
        shard.execute(() -> start(shard, request, result, 1), result);
        return result;
    }

    /**
     * Applies a signal to a run; completes with the run's state once the transition is durable.
     * Fails with NOT_FOUND for an unknown run; a run that has ended is returned unchanged.
     */
    public CompletableFuture<RunState> signal(String runId, Signal signal) {
        CompletableFuture<RunState> result = new CompletableFuture<>();
        Shard shard = shardOf(runId);
        shard.execute(() -> signal(shard, runId, signal, result, 1), result);
        return result;
    }

    private void start(Shard shard, StartRun request, CompletableFuture<RunState> result, int attempt) {
        String id = request.runId();
        ActiveRun cached = shard.runs.get(id);
        if (cached != null) {
            if (cached.stale) {
                cached.deferred.add(() -> start(shard, request, result, attempt));
            } else {
                result.complete(cached.state);
            }
            return;
        }
        Transition transition = inline.settle(request.plan(), interpreter.step(request.plan(), null, request.signal()));
        ActiveRun run = new ActiveRun(request.plan(), request.idempotencyKey(), transition.state(), 0);
        shard.runs.put(id, run);
        commit(shard, run, transition, result, failure -> {
            if (failure instanceof ConcurrentUpdateException) {
                complete(result, () -> stored(id));
            } else if (failure instanceof DuplicateRunException duplicate) {
                complete(result, () -> stored(duplicate.existingRunId()));
            } else {
                retry(shard, attempt, result, failure, () -> start(shard, request, result, attempt + 1));
            }
        });
    }

    private void signal(Shard shard, String runId, Signal signal, CompletableFuture<RunState> result, int attempt) {
        ActiveRun run = shard.runs.get(runId);
        if (run != null && run.stale) {
            run.deferred.add(() -> signal(shard, runId, signal, result, attempt));
            return;
        }
        if (run == null) {
            Optional<RunRecord> record;
            try {
                record = store.run(runId);
            } catch (RuntimeException e) {
                retry(shard, attempt, result, e, () -> signal(shard, runId, signal, result, attempt + 1));
                return;
            }
            if (record.isEmpty()) {
                result.completeExceptionally(new EngineException(EngineException.Code.NOT_FOUND, "There is no run '" + runId + "'"));
                return;
            }
            run = load(record.get());
            if (run == null) {
                result.complete(RunViews.state(record.get()));
                return;
            }
            shard.runs.put(runId, run);
        }
        if (run.state.status().isFinal()) {
            result.complete(run.state);
            return;
        }
        Transition transition = interpreter.step(run.plan, run.state, signal);
        if (!transition.changed()) {
            result.complete(run.state);
            return;
        }
        transition = inline.settle(run.plan, transition);
        commit(shard, run, transition, result,
                failure -> retry(shard, attempt, result, failure, () -> signal(shard, runId, signal, result, attempt + 1)));
    }

    /** A stored run to cache, or null when it has ended (nothing will change it any more). */
    private ActiveRun load(RunRecord record) {
        RunState state = RunViews.state(record);
        if (state.status().isFinal()) {
            return null;
        }
        WorkflowPlan plan = definitions.plan(record.workflow(), record.workflowVersion()).orElseThrow(() -> new EngineException(
                EngineException.Code.UNAVAILABLE, "Expected workflow '" + record.workflow() + "@" + record.workflowVersion()
                + "' of run '" + record.id() + "' to be stored, but it is not"));
        return new ActiveRun(plan, record.idempotencyKey(), state, record.version());
    }

    private void commit(Shard shard, ActiveRun run, Transition transition, CompletableFuture<RunState> result,
                        Consumer<Throwable> onFailure) {
        RunState next = transition.state();
        long expected = run.version;
        List<Task> tasks = CommandTasks.tasks(next, transition.commands());
        RunCommit commit = new RunCommit(RunViews.record(next, expected + 1, run.idempotencyKey), expected,
                transition.events(), tasks, transition.finishedTasks());
        run.state = next;
        run.version = expected + 1;
        run.inflight++;
        Timer.Sample sample = metrics.startCommit();
        CompletableFuture<Void> durable;
        try {
            durable = store.commit(commit);
        } catch (RuntimeException e) {
            durable = CompletableFuture.failedFuture(e);
        }
        Committed committed = new Committed(next, tasks, transition.commands(), expected == 0);
        // handle, not whenComplete: the chained future must fail only if this step itself cannot run.
        durable.handleAsync((ok, error) -> {
            run.inflight--;
            if (error == null) {
                metrics.committed(sample, committed.started(), next.status());
                tell(committed);
                result.complete(next);
            } else {
                metrics.commitFailed(sample);
                run.stale = true;
                Throwable cause = unwrap(error);
                LOG.debug("Commit of run '{}' at version {} failed: {}", next.id(), expected + 1, cause.toString());
                run.failures.add(new FailedCommit(expected + 1, cause, committed, result, onFailure));
            }
            if (run.settled()) {
                settle(shard, next.id(), run);
            }
            return null;
        }, shard.executor).exceptionally(e -> {
            result.completeExceptionally(e);
            return null;
        });
    }

    private void tell(Committed committed) {
        try {
            listener.committed(committed);
        } catch (RuntimeException e) {
            LOG.error("Dispatching the work of run '{}' failed; a restart dispatches its tasks again", committed.state().id(), e);
        }
    }

    /**
     * A run with nothing in flight that ended or had a commit fail: judges its failed commits
     * against the store (a landed one only has its work handed out; any other gets its
     * {@code otherwise}), drops the run from the cache and runs the work that waited for it, which
     * reloads it from the store.
     */
    private void settle(Shard shard, String runId, ActiveRun run) {
        if (!run.failures.isEmpty()) {
            Optional<RunRecord> stored;
            try {
                stored = store.run(runId);
            } catch (RuntimeException e) {
                LOG.debug("Cannot read run '{}' to judge its failed commits yet: {}", runId, e.toString());
                try {
                    retries.schedule(() -> shard.executor.execute(() -> settle(shard, runId, run)), FIRST_RETRY_DELAY_MS,
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closing) {
                    run.failures.forEach(f -> f.result().completeExceptionally(closed()));
                }
                return;
            }
            List<FailedCommit> failures = new ArrayList<>(run.failures);
            run.failures.clear();
            for (FailedCommit failure : failures) {
                if (failure.landed(stored)) {
                    tell(failure.committed());
                    failure.result().complete(failure.committed().state());
                } else {
                    guarded(() -> failure.otherwise().accept(failure.cause()), failure.result());
                }
            }
        }
        shard.runs.remove(runId, run);
        List<Runnable> waiting = new ArrayList<>(run.deferred);
        run.deferred.clear();
        waiting.forEach(Runnable::run);
    }

    private void retry(Shard shard, int attempt, CompletableFuture<RunState> result, Throwable cause, Runnable again) {
        if (attempt >= MAX_ATTEMPTS) {
            LOG.error("Giving up on a signal after {} attempts; a restart recovers the run from its tasks", attempt, cause);
            result.completeExceptionally(new EngineException(EngineException.Code.UNAVAILABLE,
                    "The store did not accept the change after " + attempt + " attempts: " + cause.getMessage()));
            return;
        }
        long delay = FIRST_RETRY_DELAY_MS << Math.min(attempt - 1, 10);
        try {
            retries.schedule(() -> shard.execute(again, result), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(closed());
        }
    }

    private RunState stored(String runId) {
        return store.run(runId).map(RunViews::state).orElseThrow(() -> new EngineException(EngineException.Code.UNAVAILABLE,
                "Expected run '" + runId + "' to be stored, but it is not"));
    }

    private static void complete(CompletableFuture<RunState> result, Supplier<RunState> value) {
        try {
            result.complete(value.get());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private static void guarded(Runnable work, CompletableFuture<RunState> result) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.error("Applying a signal failed", e);
            result.completeExceptionally(e);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static EngineException closed() {
        return new EngineException(EngineException.Code.UNAVAILABLE, "The node is shutting down");
    }

    private Shard shardOf(String runId) {
        return shards[Math.floorMod(runId.hashCode(), shards.length)];
    }

    @Override
    public void close() {
        retries.shutdownNow();
        for (Shard shard : shards) {
            shard.executor.shutdown();
        }
        for (Shard shard : shards) {
            try {
                shard.executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One shard: its thread and the runs it caches (only ever touched on that thread). */
    private static final class Shard {
        final ExecutorService executor;
        final Map<String, ActiveRun> runs;

        Shard(int index, int maxCached) {
            this.executor = Executors.newSingleThreadExecutor(NamedThreads.of("tributary-shard-" + index));
            this.runs = new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ActiveRun> eldest) {
                    // Only a run with nothing in flight may go: it is reloaded from the store when needed.
                    return size() > maxCached && eldest.getValue().evictable();
                }
            };
        }

        void execute(Runnable work, CompletableFuture<RunState> result) {
            try {
                executor.execute(() -> guarded(work, result));
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(closed());
            }
        }
    }
}
