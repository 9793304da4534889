package dev.tributary.connectors;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pass of polling work again and again on an executor, one pass at a time: at once after
 * a pass that found work, after a doubling idle delay (up to a maximum) after one that found
 * none, or after the delay the pass asks for. {@link #wake()} runs the next pass at once.
 */
public final class PollLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
    private static final Duration FIRST_IDLE_DELAY = Duration.ofMillis(20);

    /** What a pass asks for next: {@code delay} null means "found nothing" (back off while idle). */
    public record Next(Duration delay) {
        public static final Next NOW = new Next(Duration.ZERO);
        public static final Next IDLE = new Next(null);

        public static Next after(Duration delay) {
            return new Next(Objects.requireNonNull(delay, "delay"));
        }
    }

    private final String name;
    private final ScheduledExecutorService executor;
    private final Supplier<CompletableFuture<Next>> pass;
    private final Duration maxIdleDelay;

    private final Object lock = new Object();
    private ScheduledFuture<?> scheduled; // guarded by lock
    private boolean running; // guarded by lock
    private boolean again; // guarded by lock
    private boolean started; // guarded by lock
    private boolean closed; // guarded by lock
    private Duration idleDelay = FIRST_IDLE_DELAY; // guarded by lock

    /**
     * @param name  for the log
     * @param pass  one pass; completes (normally) when the next may start, with what it asks for
     */
    public PollLoop(String name, ScheduledExecutorService executor, Duration maxIdleDelay, Supplier<CompletableFuture<Next>> pass) {
        this.name = name;
        this.executor = executor;
        this.maxIdleDelay = maxIdleDelay;
        this.pass = pass;
    }

    public void start() {
        synchronized (lock) {
            started = true;
        }
        runAfter(Duration.ZERO);
    }

    /** The next pass runs at once (or right after the one running), and the idle backoff starts over; nothing before {@link #start()}. */
    public void wake() {
        synchronized (lock) {
            idleDelay = FIRST_IDLE_DELAY;
            if (running) {
                again = true;
                return;
            }
        }
        runAfter(Duration.ZERO);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }

    private void runAfter(Duration delay) {
        synchronized (lock) {
            if (!started || closed || running) {
                return;
            }
            if (scheduled != null && !scheduled.isDone()) {
                if (scheduled.getDelay(TimeUnit.MILLISECONDS) <= delay.toMillis()) {
                    return; // one runs sooner anyway
                }
                scheduled.cancel(false);
            }
            try {
                scheduled = executor.schedule(this::run, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                scheduled = null; // the executor is shutting down
            }
        }
    }

    private void run() {
        synchronized (lock) {
            if (closed || running) {
                return;
            }
            running = true;
            again = false;
            scheduled = null;
        }
        CompletableFuture<Next> done;
        try {
            done = pass.get();
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((next, error) -> {
            if (error != null) {
                LOG.warn("A pass of {} failed; trying again after a pause: {}", name, error.getMessage());
            }
            Duration delay;
            synchronized (lock) {
                running = false;
                if (again) {
                    delay = Duration.ZERO;
                } else if (error != null || next.delay() == null) {
                    delay = idleDelay;
                    Duration doubled = idleDelay.multipliedBy(2);
                    idleDelay = doubled.compareTo(maxIdleDelay) > 0 ? maxIdleDelay : doubled;
                } else {
                    delay = next.delay();
                    idleDelay = FIRST_IDLE_DELAY;
                }
            }
            runAfter(delay);
        });
    }
}
