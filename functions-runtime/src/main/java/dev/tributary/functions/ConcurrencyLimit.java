package dev.tributary.functions;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Bounds a runtime that has no pool of its own (process, http) to each function version's
 * {@code concurrency} (SPEC §2.3): at most that many activations run at once on this node, the
 * rest wait in line, first come first served. Time in line counts against the activation's
 * timeout (as for the worker pools) but is not billed: the runtime measures from when it gets the job.
 */
public final class ConcurrencyLimit implements FunctionRuntime {

    private final FunctionRuntime runtime;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    public ConcurrencyLimit(FunctionRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public CompletableFuture<Execution> invoke(Job job) {
        String key = job.function().name() + "@" + job.invocation().version();
        int limit = job.function().limits().concurrency();
        return lanes.computeIfAbsent(key, k -> new Lane()).submit(job, limit);
    }

    /** The line of one function version. */
    private final class Lane {
        private final Queue<Waiting> waiting = new ArrayDeque<>();
        private int running;

        private record Waiting(Job job, long since, CompletableFuture<Execution> answer) {
        }

        CompletableFuture<Execution> submit(Job job, int limit) {
            CompletableFuture<Execution> answer = new CompletableFuture<>();
            long now = System.nanoTime();
            synchronized (this) {
                if (running >= limit) {
                    waiting.add(new Waiting(job, now, answer));
                    return answer;
                }
                running++;
            }
            start(new Waiting(job, now, answer));
            return answer;
        }

        private void start(Waiting next) {
            Job job = next.job();
            Duration left = job.timeout().minusNanos(System.nanoTime() - next.since());
            CompletableFuture<Execution> answer = next.answer();
            CompletableFuture<Execution> execution;
            try {
                execution = left.isNegative() || left.isZero()
                        ? CompletableFuture.failedFuture(new TimeoutException("timed out waiting in line"))
                        : runtime.invoke(new Job(job.invocation(), job.env(), left));
            } catch (RuntimeException e) {
                execution = CompletableFuture.failedFuture(e);
            }
            execution.whenComplete((done, error) -> {
                finished();
                if (error != null) {
                    answer.completeExceptionally(error);
                } else {
                    answer.complete(done);
                }
            });
        }

        private void finished() {
            Waiting next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    running--;
                    return;
                }
            }
            start(next);
        }
    }
}
