package dev.tributary.functions.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.FunctionLimits;
import dev.tributary.functions.Execution;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.FunctionRuntime;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Job;
import dev.tributary.functions.code.CodeLocator;
import dev.tributary.functions.code.CodeUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code java} runtime (SPEC §2.3): runs a {@link dev.tributary.functions.api.Handler} loaded
 * from the function's jar in a class loader of its own ({@link ApiClassLoader} is all of the
 * server it sees), in this JVM, on a bounded pool of threads.
 *
 * <ul>
 *   <li><b>Warm instances</b> per function version ({@link WarmHandlers}): up to {@code concurrency},
 *       each running one activation at a time; an activation that had to make a new instance (class
 *       loader, class initialisation, constructor) is a cold start, and that work counts towards its
 *       timeout and billed duration. An instance idle for {@code keep-warm} is reaped and its class
 *       loader closed.</li>
 *   <li><b>Timeout</b> interrupts the activation's thread and answers {@code Timeout} at once. A Java
 *       thread cannot be killed: a handler that ignores the interrupt keeps running, and its instance
 *       is thrown away — but its slot of the function's {@code concurrency} is only freed when the
 *       thread returns, so a runaway function stalls itself, not the node.</li>
 *   <li><b>Errors</b>: an exception's simple class name is the error type and its message the
 *       message; after an {@link Error} (out of memory, stack overflow, a missing class) the instance
 *       is not reused.</li>
 *   <li><b>Logs</b> are what the handler writes through {@code Context.log}: {@code System.out} is one
 *       per JVM, so what a handler prints there goes to the server's output, not to its activation.</li>
 *   <li>The handler gets a copy of the input (it cannot change the caller's), and its result is
 *       copied out through its JSON text, which is how the 1 MiB result limit is measured.</li>
 * </ul>
 */
public final class JavaRuntime implements FunctionRuntime, AutoCloseable {

    /**
     * @param threads        activations running at once on this node, across all java functions
     * @param maxResultBytes the limit on a result's compact JSON text
     * @param reapEvery      how often idle instances are looked for
     */
    public record Settings(int threads, long maxResultBytes, Duration reapEvery) {

        public static Settings defaults() {
            return new Settings(64, 1L << 20, Duration.ofSeconds(1));
        }
    }

    private record VersionKey(String function, int version) {
    }

    private final CodeLocator code;
    private final Clock clock;
    private final Settings settings;
    private final ApiClassLoader api = ApiClassLoader.ofServer();
    private final Map<VersionKey, WarmHandlers> pools = new ConcurrentHashMap<>();
    private final WorkerThreads threads;
    private final ScheduledThreadPoolExecutor timers;
    private volatile boolean closed;

    public JavaRuntime(CodeLocator code, Clock clock) {
        this(code, clock, Settings.defaults());
    }

    public JavaRuntime(CodeLocator code, Clock clock, Settings settings) {
        this.code = code;
        this.clock = clock;
        this.settings = settings;
        this.threads = new WorkerThreads(settings.threads(), daemonThreads("java-function-"));
        this.timers = new ScheduledThreadPoolExecutor(1, daemonThreads("java-function-timer-"));
        this.timers.setRemoveOnCancelPolicy(true);
        long every = settings.reapEvery().toMillis();
        this.timers.scheduleWithFixedDelay(this::reapQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Execution> invoke(Job job) {
        if (closed) {
            return CompletableFuture.completedFuture(shutDown(job));
        }
        FunctionDef function = job.function();
        FunctionLimits limits = function.limits();
        VersionKey key = new VersionKey(function.name(), job.invocation().version());
        WarmHandlers pool;
        CompletableFuture<WarmHandlers.Turn> turn;
        do {
            pool = pools.computeIfAbsent(key, k -> new WarmHandlers(limits.concurrency(), limits.keepWarm()));
            turn = pool.take();
        } while (turn == null); // the reaper retired that pool just now
        CompletableFuture<Execution> answer = new CompletableFuture<>();
        WarmHandlers taken = pool;
        turn.whenComplete((granted, refused) -> {
            if (refused != null) {
                answer.complete(shutDown(job));
                return;
            }
            Activation activation = new Activation(job, taken, granted, answer);
            try {
                threads.execute(activation);
            } catch (RejectedExecutionException e) {
                activation.abandon();
            }
        });
        return answer;
    }

    /** Closes the class loaders of instances idle past their function's keep-warm; runs every {@link Settings#reapEvery()}. */
    public void reapIdle() {
        Instant now = clock.instant();
        pools.forEach((key, pool) -> {
            pool.reap(now).forEach(HandlerInstance::close);
            if (pool.retireIfEmpty()) {
                pools.remove(key, pool);
            }
        });
    }

    /** Handler instances alive (busy or idle) across all functions. */
    public int instances() {
        return pools.values().stream().mapToInt(WarmHandlers::instances).sum();
    }

    /** Interrupts running activations, answers waiting ones {@code Unavailable} and closes every class loader. */
    @Override
    public void close() {
        closed = true;
        timers.shutdownNow();
        for (Runnable queued : threads.shutdownNow()) {
            ((Activation) queued).abandon();
        }
        RejectedExecutionException shutDown = new RejectedExecutionException("the java runtime is shut down");
        pools.values().forEach(pool -> pool.retire(shutDown).forEach(HandlerInstance::close));
        pools.clear();
    }

    /** One activation on its way through a worker thread. */
    private final class Activation implements Runnable {
        private final Job job;
        private final WarmHandlers pool;
        private final WarmHandlers.Turn turn;
        private final CompletableFuture<Execution> answer;

        Activation(Job job, WarmHandlers pool, WarmHandlers.Turn turn, CompletableFuture<Execution> answer) {
            this.job = job;
            this.pool = pool;
            this.turn = turn;
            this.answer = answer;
        }

        @Override
        public void run() {
            Execution execution = null;
            try {
                execution = execute();
            } finally {
                // Before answering: a caller that invokes again at once then finds this thread about to be free.
                threads.finishing();
            }
            if (execution != null) {
                answer.complete(execution);
            }
        }

        /** Runs the activation; null when its timer answered first. */
        private Execution execute() {
            FunctionDef function = job.function();
            boolean cold = turn.warm() == null;
            Instant startedAt = clock.instant();
            long start = System.nanoTime();
            JavaContext context = new JavaContext(job.invocation(), start + job.timeout().toNanos());
            Watch watch = new Watch(Thread.currentThread());
            ScheduledFuture<?> timer = timers.schedule(() -> {
                if (watch.expire()) {
                    answer.complete(new Execution(new InvocationResult.Failure(FailureTypes.TIMEOUT, "java function '"
                            + function.name() + "' did not finish within " + job.timeout() + "; its thread was interrupted"),
                            startedAt, since(start), cold, context.end()));
                }
            }, job.timeout().toNanos(), TimeUnit.NANOSECONDS);
            HandlerInstance instance = turn.warm();
            Outcome outcome;
            try {
                if (instance == null) {
                    instance = HandlerInstance.load(function.name(), function.handler(), code.locate(function).directory(), api);
                }
                outcome = call(function, instance, context);
            } catch (HandlerInstance.HandlerLoadException e) {
                outcome = Outcome.broken(new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, e.getMessage()));
            } catch (CodeUnavailableException e) {
                outcome = Outcome.broken(new InvocationResult.Failure(FailureTypes.UNAVAILABLE, e.getMessage()));
            } catch (RuntimeException e) {
                outcome = Outcome.broken(new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, "Expected to load java function '"
                        + function.name() + "', but " + e));
            }
            boolean inTime = watch.finish();
            timer.cancel(false);
            // Give the instance back before answering, so a caller that invokes again at once finds it warm.
            if (inTime && outcome.reusable() && instance != null) {
                pool.giveBack(instance, clock.instant());
            } else {
                pool.discard();
                if (instance != null) {
                    instance.close();
                }
            }
            return inTime ? new Execution(outcome.result(), startedAt, since(start), cold, context.end()) : null;
        }

        private Outcome call(FunctionDef function, HandlerInstance instance, JavaContext context) {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(instance.loader());
            try {
                JsonNode input = job.input() == null ? NullNode.getInstance() : job.input().deepCopy();
                return Outcome.reusable(ResultCopy.of(function.name(), instance.handler().handle(input, context), settings.maxResultBytes()));
            } catch (Exception e) {
                return Outcome.reusable(new InvocationResult.Failure(errorType(e), e.getMessage() == null ? "" : e.getMessage()));
            } catch (Error e) {
                return Outcome.broken(new InvocationResult.Failure(errorType(e), e.getMessage() == null ? "" : e.getMessage()));
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        /** Never ran: the runtime shut down first. */
        void abandon() {
            if (turn.warm() != null) {
                turn.warm().close();
            }
            pool.discard();
            answer.complete(shutDown(job));
        }
    }

    private static String errorType(Throwable e) {
        String simple = e.getClass().getSimpleName();
        return simple.isEmpty() ? e.getClass().getName() : simple;
    }

    private Execution shutDown(Job job) {
        return new Execution(new InvocationResult.Failure(FailureTypes.UNAVAILABLE, "java function '" + job.function().name()
                + "' was not run: the java runtime of this node is shut down"), clock.instant(), Duration.ZERO, false, "");
    }

    private void reapQuietly() {
        try {
            reapIdle();
        } catch (RuntimeException e) {
            // An exception would cancel the periodic reaping; the next round tries again.
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** What an activation came to, and whether its instance may serve another. */
    private record Outcome(InvocationResult result, boolean reusable) {
        static Outcome reusable(InvocationResult result) {
            return new Outcome(result, true);
        }

        static Outcome broken(InvocationResult result) {
            return new Outcome(result, false);
        }
    }

    /**
     * Who ends an activation, its thread or its timer. The interrupt is sent under the same lock
     * that the thread finishes under, so once the thread has finished no stray interrupt can hit
     * the next activation that the pooled thread runs.
     */
    private static final class Watch {
        private final Thread thread;
        private boolean over;
        private boolean expired;

        Watch(Thread thread) {
            this.thread = thread;
        }

        synchronized boolean expire() {
            if (over) {
                return false;
            }
            over = true;
            expired = true;
            thread.interrupt();
            return true;
        }

        /** True when the thread finished in time; clears the interrupt the timer may have sent. */
        synchronized boolean finish() {
            over = true;
            Thread.interrupted();
            return !expired;
        }
    }
}
