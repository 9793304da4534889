package dev.tributary.functions.jvm;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads java activations run on: an idle thread if there is one, else a new thread up to
 * {@code max}, else a place in line. A plain fixed pool starts a new thread for every task until it
 * is full and then rotates tasks over all of them, so one-at-a-time activations would keep waking
 * cold threads; this pool grows only as far as activations actually overlap (the approach of
 * Tomcat's {@code TaskQueue}). Idle threads end after a minute. Tasks must call {@link #finishing()}.
 */
final class WorkerThreads extends ThreadPoolExecutor {

    private final AtomicInteger unfinished = new AtomicInteger();

    WorkerThreads(int max, ThreadFactory threads) {
        super(0, max, 60, TimeUnit.SECONDS, new Line(), threads);
        ((Line) getQueue()).pool = this;
    }

    @Override
    public void execute(Runnable task) {
        unfinished.incrementAndGet();
        try {
            super.execute(task);
        } catch (RejectedExecutionException full) {
            // Every thread is busy and there may be no more: wait in line, unless shutting down.
            if (isShutdown() || !((Line) getQueue()).enqueue(task)) {
                unfinished.decrementAndGet();
                throw full;
            }
        }
    }

    /**
     * Called by every task once, as its last step before it hands its result to whoever waits for
     * it: from then on its thread counts as free, so a caller that submits again at once is queued
     * for that thread instead of starting another one.
     */
    void finishing() {
        unfinished.decrementAndGet();
    }

    /** Refuses a task (so the pool adds a thread) while no thread is idle and the pool can still grow. */
    private static final class Line extends LinkedBlockingQueue<Runnable> {
        private static final long serialVersionUID = 1L;
        private transient WorkerThreads pool;

        @Override
        public boolean offer(Runnable task) {
            int threads = pool.getPoolSize();
            if (pool.unfinished.get() <= threads || threads >= pool.getMaximumPoolSize()) {
                return super.offer(task);
            }
            return false;
        }

        boolean enqueue(Runnable task) {
            return super.offer(task);
        }
    }
}
