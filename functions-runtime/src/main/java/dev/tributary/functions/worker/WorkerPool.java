package dev.tributary.functions.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.functions.Execution;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Job;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The warm workers of one function version. Up to {@code concurrency} workers, one activation at
 * a time each; excess activations wait in line (first come, first served); a worker idle for
 * {@code keepWarm} is stopped by {@link #sweep}, so an idle function has no process. The job's
 * timeout counts from {@link #submit} (a wait in line included, as the caller's backstop does);
 * past it the worker's process group is killed.
 */
final class WorkerPool {

    /** How long a crashed worker's exit status may take to arrive before the activation fails without it. */
    private static final long EXIT_STATUS_WAIT_MILLIS = 500;

    private final WorkerRequest request;
    private final int concurrency;
    private final String language;
    private final WorkerStarter starter;
    private final ScheduledExecutorService scheduler;
    private final Executor callbacks;
    private final Clock clock;

    private final Deque<Worker> idle = new ArrayDeque<>();          // most recently used first
    private final Deque<PooledActivation> waiting = new ArrayDeque<>();
    private final List<Worker> busy = new ArrayList<>();
    private int live;
    private long idleSinceNanos = System.nanoTime();
    private boolean retired;

    WorkerPool(WorkerRequest request, int concurrency, String language, WorkerStarter starter,
               ScheduledExecutorService scheduler, Executor callbacks, Clock clock) {
        this.request = request;
        this.concurrency = concurrency;
        this.language = language;
        this.starter = starter;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    /** Takes the job, or returns false if this pool was retired meanwhile (the caller makes a new one). */
    boolean submit(Job job, CompletableFuture<Execution> result) {
        long deadline = clock.millis() + job.timeout().toMillis();
        PooledActivation activation = new PooledActivation(job, deadline, result);
        Worker warm;
        synchronized (this) {
            if (retired) {
                return false;
            }
            activation.timeout = scheduler.schedule(() -> timedOut(activation), job.timeout().toNanos(), TimeUnit.NANOSECONDS);
            warm = idle.pollFirst();
            if (warm == null) {
                if (live < concurrency) {
                    live++;
                    activation.state = PooledActivation.State.STARTING;
                } else {
                    waiting.addLast(activation);
                    return true;
                }
            } else {
                claim(activation, warm);
            }
        }
        if (warm != null) {
            run(activation, warm);
        } else {
            startWorkerFor(activation);
        }
        return true;
    }

    private void startWorkerFor(PooledActivation activation) {
        activation.coldStart = true;
        activation.tookWorkerNanos = System.nanoTime();
        activation.startedAt = clock.instant();
        WorkerStart start;
        try {
            start = starter.start(request);
        } catch (RuntimeException e) {
            start = null;
            lostStart(activation, e);
        }
        if (start == null) {
            return;
        }
        synchronized (this) {
            activation.start = start;
        }
        start.worker().whenComplete((worker, error) -> {
            if (error != null) {
                lostStart(activation, error);
            } else {
                started(activation, worker);
            }
        });
    }

    private void started(PooledActivation activation, Worker worker) {
        worker.whenLost(() -> lost(worker));
        starter.workerReady(request, worker);
        boolean closed;
        synchronized (this) {
            closed = retired;
        }
        if (closed) {
            retire(worker);
            return;
        }
        synchronized (this) {
            if (activation.isFinished()) {
                // It timed out as the worker came up: keep the worker for the next one.
                idleOrNext(worker);
                return;
            }
            claim(activation, worker);
        }
        run(activation, worker);
    }

    private void lostStart(PooledActivation activation, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        synchronized (this) {
            workerGone();
        }
        if (cause instanceof WorkerStartFailure failure) {
            finish(activation, new InvocationResult.Failure(failure.type(), failure.getMessage()), failure.logs());
        } else if (!activation.isFinished()) {
            finish(activation, new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, "the " + language
                    + " worker of function '" + request.functionName() + "' could not start: " + cause.getMessage()), "");
        }
        pump();
    }

    /** Guarded: binds a worker to an activation. */
    private void claim(PooledActivation activation, Worker worker) {
        activation.state = PooledActivation.State.RUNNING;
        activation.worker = worker;
        if (!activation.coldStart) {
            activation.tookWorkerNanos = System.nanoTime();
            activation.startedAt = clock.instant();
        }
        busy.add(worker);
    }

    private void run(PooledActivation activation, Worker worker) {
        worker.request(WireMessages.invoke(activation.job.invocation(), activation.deadlineEpochMillis),
                (answer, error) -> answered(activation, worker, answer, error));
    }

    private void answered(PooledActivation activation, Worker worker, JsonNode answer, Throwable error) {
        if (error == null) {
            WireMessages.Answer outcome = WireMessages.answer(answer);
            synchronized (this) {
                busy.remove(worker);
                idleOrNext(worker);
            }
            // Here, on the thread that read the answer with reading paused, the caller's continuation may run.
            Execution execution = settle(activation, outcome.result(), outcome.logs(), System.nanoTime());
            if (execution != null) {
                activation.result.complete(execution);
            }
            return;
        }
        if (activation.isFinished()) {
            return; // killed for its timeout; timedOut() retired the worker
        }
        long diedNanos = System.nanoTime();
        worker.exit().completeOnTimeout(ExitStatus.UNKNOWN, EXIT_STATUS_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                .thenAccept(status -> {
                    String tail = worker.files().outputTail();
                    retire(worker);
                    finish(activation, new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, "the " + language
                            + " worker of function '" + request.functionName() + "' exited during the activation ("
                            + status.describe() + ")" + (tail.isEmpty() ? "" : "; its output ends with: " + tail)),
                            "", diedNanos);
                });
    }

    /** Guarded: hands a free worker to the first in line, or keeps it warm. */
    private void idleOrNext(Worker worker) {
        if (worker.isRetired() || retired) {
            return;
        }
        PooledActivation next = waiting.pollFirst();
        if (next == null) {
            worker.idleSinceNanos = System.nanoTime();
            idle.addFirst(worker);
            return;
        }
        claim(next, worker);
        // Not on this thread: it may be the one that read the last answer, about to run its caller's continuation.
        callbacks.execute(() -> run(next, worker));
    }

    private void timedOut(PooledActivation activation) {
        Worker running = null;
        WorkerStart starting = null;
        synchronized (this) {
            if (activation.isFinished()) {
                return;
            }
            switch (activation.state) {
                case WAITING -> waiting.remove(activation);
                case STARTING -> starting = activation.start;
                case RUNNING -> running = activation.worker;
            }
        }
        finish(activation, new InvocationResult.Failure(FailureTypes.TIMEOUT,
                "function '" + request.functionName() + "' did not finish within " + activation.job.timeout()), "");
        if (starting != null) {
            starting.abort();
        }
        if (running != null) {
            retire(running);
        }
    }

    /** A worker that died while idle. */
    private void lost(Worker worker) {
        boolean wasIdle;
        synchronized (this) {
            wasIdle = idle.remove(worker);
        }
        if (wasIdle) {
            retire(worker);
        }
    }

    private void retire(Worker worker) {
        if (worker.retire()) {
            synchronized (this) {
                busy.remove(worker);
                idle.remove(worker);
                workerGone();
            }
            pump();
        }
    }

    /** Guarded. */
    private void workerGone() {
        live--;
        if (live == 0) {
            idleSinceNanos = System.nanoTime();
        }
    }

    /** Starts workers for those in line while there is room (after a worker died or failed to start). */
    private void pump() {
        List<PooledActivation> toStart = new ArrayList<>();
        synchronized (this) {
            while (!waiting.isEmpty() && live < concurrency && !retired) {
                PooledActivation next = waiting.pollFirst();
                next.state = PooledActivation.State.STARTING;
                live++;
                toStart.add(next);
            }
        }
        toStart.forEach(this::startWorkerFor);
    }

    private void finish(PooledActivation activation, InvocationResult result, String logs) {
        finish(activation, result, logs, System.nanoTime());
    }

    /** Completes the activation on the callbacks executor: the caller's continuation must not hold up this thread. */
    private void finish(PooledActivation activation, InvocationResult result, String logs, long answeredNanos) {
        Execution execution = settle(activation, result, logs, answeredNanos);
        if (execution == null) {
            return;
        }
        try {
            callbacks.execute(() -> activation.result.complete(execution));
        } catch (RejectedExecutionException e) {
            activation.result.complete(execution); // the runtime is closing: answer on this thread
        }
    }

    /** The activation's execution, or null if it was answered already (say, timed out). */
    private Execution settle(PooledActivation activation, InvocationResult result, String logs, long answeredNanos) {
        if (!activation.finish()) {
            return null;
        }
        boolean ran = activation.startedAt != null;
        Instant startedAt = ran ? activation.startedAt : clock.instant();
        Duration billed = ran ? Duration.ofNanos(answeredNanos - activation.tookWorkerNanos) : Duration.ZERO;
        return new Execution(result, startedAt, billed, activation.coldStart, logs);
    }

    /**
     * Stops workers idle for their keep-warm; retires the whole pool once it has had no worker for
     * as long (it then takes no more jobs). Returns what the starter needs for its own scale-to-zero.
     */
    WorkerStarter.PoolActivity sweep(long nowNanos) {
        List<Worker> expired = new ArrayList<>();
        WorkerStarter.PoolActivity activity;
        synchronized (this) {
            long keepWarm = request.keepWarm().toNanos();
            for (Iterator<Worker> it = idle.descendingIterator(); it.hasNext(); ) {
                Worker worker = it.next();
                if (nowNanos - worker.idleSinceNanos >= keepWarm) {
                    it.remove();
                    expired.add(worker);
                }
            }
            activity = new WorkerStarter.PoolActivity(live, idleSinceNanos, request.keepWarm(), request.memoryMb());
        }
        expired.forEach(this::retire);
        return activity;
    }

    /** True (and the pool is closed for jobs) when it has had nothing to do for its keep-warm. */
    synchronized boolean retireIfIdle(long nowNanos) {
        if (live == 0 && waiting.isEmpty() && nowNanos - idleSinceNanos >= request.keepWarm().toNanos()) {
            retired = true;
        }
        return retired;
    }

    synchronized List<Worker> workers() {
        List<Worker> all = new ArrayList<>(busy);
        all.addAll(idle);
        return all;
    }

    WorkerRequest request() {
        return request;
    }

    /** Stops every worker and fails what waits in line. */
    void close() {
        List<Worker> all;
        List<PooledActivation> stranded;
        synchronized (this) {
            retired = true;
            all = workers();
            stranded = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (PooledActivation activation : stranded) {
            finish(activation, new InvocationResult.Failure(FailureTypes.UNAVAILABLE,
                    "the " + language + " runtime was closed before function '" + request.functionName() + "' ran"), "");
        }
        all.forEach(Worker::retire);
    }
}
