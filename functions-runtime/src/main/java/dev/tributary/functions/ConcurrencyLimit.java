package dev.tributary.functions;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds a runtime that has no pool of its own (process, http) to each function version's
 * {@code concurrency} (SPEC §2.3): at most that many activations run at once on this node, the
 * rest wait in line, first come first served. Time in line is not billed: the runtime's own
 * measurement starts when the job is handed to it.
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

        private record Waiting(Job job, CompletableFuture<Execution> answer) {
        }

        CompletableFuture<Execution> submit(Job job, int limit) {
            CompletableFuture<Execution> answer = new CompletableFuture<>();
            synchronized (this) {
                if (running >= limit) {
                    waiting.add(new Waiting(job, answer));
                    return answer;
                }
                running++;
            }
            start(job, answer);
            return answer;
        }

        private void start(Job job, CompletableFuture<Execution> answer) {
            CompletableFuture<Execution> execution;
            try {
                execution = runtime.invoke(job);
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
            start(next.job(), next.answer());
        }
    }
}
