package dev.tributary.functions.worker;

import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.functions.Execution;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Job;
import dev.tributary.functions.code.CodeLocator;
import dev.tributary.functions.code.CodeUnavailableException;
import dev.tributary.functions.code.LocatedCode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the python and node runtimes share: a {@link WorkerPool} per function version, the
 * scheduler for timeouts and the keep-warm sweep, and the executor for what must not run on the
 * thread at hand. An answered activation completes on the thread that read the answer, with that
 * worker's reading paused and moved on at its next send (see {@link WorkerSocket}): the engine's
 * continuations write to the store, and on a thread still reading they would delay the next answer
 * of that worker, inflating its billed duration, and could deadlock a caller that waits for another
 * activation of the same function. Timeouts, crashes and closing complete on the executor.
 */
final class WarmWorkers implements AutoCloseable {

    private final String language;
    private final CodeLocator code;
    private final WorkerStarter starter;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService callbacks;
    private final Map<PoolKey, WorkerPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    WarmWorkers(String language, CodeLocator code, WorkerStarter starter, ScheduledThreadPoolExecutor scheduler,
                Clock clock, Duration sweepEvery) {
        this.language = language;
        this.code = code;
        this.starter = starter;
        this.clock = clock;
        this.scheduler = scheduler;
        this.callbacks = Executors.newCachedThreadPool(daemonThreads(language + "-activations"));
        scheduler.scheduleWithFixedDelay(this::sweep, sweepEvery.toNanos(), sweepEvery.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The scheduler a runtime shares with its starter: one daemon thread; cancelled timeouts leave its queue at once. */
    static ScheduledThreadPoolExecutor scheduler(String language) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads(language + "-workers-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    CompletableFuture<Execution> invoke(Job job) {
        FunctionDef function = job.function();
        if (closed) {
            return CompletableFuture.completedFuture(new Execution(new InvocationResult.Failure(FailureTypes.UNAVAILABLE,
                    "the " + language + " runtime of this node is closed"), clock.instant(), Duration.ZERO, false, ""));
        }
        LocatedCode located;
        try {
            located = code.locate(function);
        } catch (CodeUnavailableException e) {
            return CompletableFuture.completedFuture(new Execution(
                    new InvocationResult.Failure(FailureTypes.UNAVAILABLE, e.getMessage()), clock.instant(), Duration.ZERO, false, ""));
        }
        PoolKey key = PoolKey.of(function.name(), job.invocation().version(), located.directory(), job.env());
        CompletableFuture<Execution> result = new CompletableFuture<>();
        while (true) {
            WorkerPool pool = pools.computeIfAbsent(key, k -> new WorkerPool(
                    new WorkerRequest(k, function.name(), located, handler(function), job.env(),
                            function.limits().memoryMb(), function.limits().keepWarm()),
                    function.limits().concurrency(), language, starter, scheduler, callbacks, clock));
            if (pool.submit(job, result)) {
                return result;
            }
            pools.remove(key, pool);
        }
    }

    private static String handler(FunctionDef function) {
        return function.handler() == null || function.handler().isBlank() ? "main" : function.handler();
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            Map<PoolKey, WorkerStarter.PoolActivity> activity = new HashMap<>();
            for (WorkerPool pool : pools.values()) {
                activity.put(pool.request().key(), pool.sweep(now));
            }
            starter.sweep(activity, now);
            pools.values().removeIf(pool -> pool.retireIfIdle(now));
        } catch (RuntimeException e) {
            // The sweep runs again next period; one failure must not stop scale-to-zero for good.
        }
    }

    List<WorkerInfo> workers() {
        List<WorkerInfo> all = new ArrayList<>();
        for (WorkerPool pool : pools.values()) {
            WorkerRequest request = pool.request();
            for (Worker worker : pool.workers()) {
                all.add(new WorkerInfo(request.functionName(), request.key().version(), worker.pid(), worker.origin(),
                        worker.files().scratch(), worker.startTook()));
            }
        }
        return all;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        pools.values().forEach(WorkerPool::close);
        pools.clear();
        starter.close();
        callbacks.shutdown();
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
