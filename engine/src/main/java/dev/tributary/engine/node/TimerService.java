package dev.tributary.engine.node;

import dev.tributary.engine.core.Signal;
import dev.tributary.engine.store.RunStore;
import dev.tributary.engine.store.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires durable timers as {@link Signal.TimerFired}, at or after their due time as the injected
 * {@link Clock} tells it. Timer tasks live in the store; only those due within the horizon are
 * held in memory: loaded from the store at start and every half horizon, plus those armed by
 * commits meanwhile. A timer fired twice (say, reloaded before its transition deleted it) is
 * harmless: its second signal finds nothing pending.
 *
 * <p>In {@link Mode#AUTOMATIC} one scheduler thread sleeps until the earliest due time. In
 * {@link Mode#MANUAL} nothing runs by itself: tests move their clock and call {@link #runDue()}.
 */
public final class TimerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TimerService.class);
    private static final int LOAD_LIMIT = 10_000;

    public enum Mode { AUTOMATIC, MANUAL }

    private record DueTimer(Instant dueAt, String runId, String timerId) {
    }

    private record Key(String runId, String timerId) {
    }

    private final RunStore store;
    private final Clock clock;
    private final Duration horizon;
    private final RunDriver driver;
    private final EngineMetrics metrics;
    private final Mode mode;
    private final PriorityQueue<DueTimer> queue = new PriorityQueue<>(Comparator.comparing(DueTimer::dueAt));
    private final Set<Key> queued = new HashSet<>();
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> wakeUp;
    private Instant wakeUpAt;

    Mode mode() {
        return mode;
    }

    TimerService(NodeParts parts, Duration horizon, Mode mode) {
        this.store = parts.store();
        this.clock = parts.clock();
        this.driver = parts.driver();
        this.metrics = parts.metrics();
        this.horizon = horizon;
        this.mode = mode;
        this.scheduler = mode == Mode.AUTOMATIC
                ? Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("tributary-timers"))
                : null;
    }

    /** Loads the timers due within the horizon (overdue ones fire at once) and, in automatic mode, starts the scheduler. */
    void start() {
        if (mode == Mode.MANUAL) {
            load();
            return;
        }
        long period = Math.max(1, horizon.toMillis() / 2);
        scheduler.scheduleWithFixedDelay(guarded(() -> {
            load();
            arm();
        }), 0, period, TimeUnit.MILLISECONDS);
    }

    /** A timer armed by a committed transition (or found again on recovery). */
    void schedule(String runId, String timerId, Instant dueAt) {
        if (dueAt.isAfter(clock.instant().plus(horizon))) {
            return; // a later load picks it up
        }
        synchronized (this) {
            if (queued.add(new Key(runId, timerId))) {
                queue.add(new DueTimer(dueAt, runId, timerId));
            }
        }
        if (mode == Mode.AUTOMATIC) {
            try {
                scheduler.execute(guarded(this::arm));
            } catch (RejectedExecutionException e) {
                LOG.debug("Not arming timer '{}' of run '{}': the node is shutting down", timerId, runId);
            }
        }
    }

    /**
     * Fires every timer due at the clock's now and waits until their transitions are applied.
     * In manual mode it first loads what the store holds, so a clock moved past the horizon still finds its timers.
     *
     * @return how many timers fired
     */
    public int runDue() {
        if (mode == Mode.MANUAL) {
            load();
        }
        List<CompletableFuture<?>> fired = fireDue();
        CompletableFuture.allOf(fired.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        return fired.size();
    }

    private List<CompletableFuture<?>> fireDue() {
        Instant now = clock.instant();
        List<DueTimer> due = new ArrayList<>();
        synchronized (this) {
            while (!queue.isEmpty() && !queue.peek().dueAt().isAfter(now)) {
                DueTimer timer = queue.poll();
                queued.remove(new Key(timer.runId(), timer.timerId()));
                due.add(timer);
            }
        }
        List<CompletableFuture<?>> fired = new ArrayList<>();
        for (DueTimer timer : due) {
            metrics.timerFired();
            fired.add(driver.signal(timer.runId(), new Signal.TimerFired(timer.timerId(), clock.instant()))
                    .exceptionally(e -> {
                        LOG.debug("Timer '{}' of run '{}' found nothing to fire: {}", timer.timerId(), timer.runId(), e.toString());
                        return null;
                    }));
        }
        return fired;
    }

    private void load() {
        Instant before = clock.instant().plus(horizon);
        for (Task task : store.timersDueBefore(before, LOAD_LIMIT)) {
            synchronized (this) {
                if (queued.add(new Key(task.runId(), task.id()))) {
                    queue.add(new DueTimer(task.dueAt(), task.runId(), task.id()));
                }
            }
        }
    }

    /**
     * Automatic mode, on the scheduler thread: fires what is due and sets one wake-up for the
     * earliest timer left, unless an earlier or equal one is already set.
     */
    private void arm() {
        fireDue();
        Instant next;
        synchronized (this) {
            next = queue.isEmpty() ? null : queue.peek().dueAt();
        }
        if (next == null || (wakeUp != null && !next.isBefore(wakeUpAt))) {
            return;
        }
        if (wakeUp != null) {
            wakeUp.cancel(false);
        }
        // Round up: the scheduler's timer and the clock may disagree by a little; waking early only costs a re-arm.
        long nanos = Math.max(0, Duration.between(clock.instant(), next).toNanos());
        wakeUpAt = next;
        wakeUp = scheduler.schedule(guarded(this::wake), (nanos + 999_999) / 1_000_000, TimeUnit.MILLISECONDS);
    }

    /** The wake-up set by {@link #arm()} is due: it is no longer pending, so arm sets the next one. */
    private void wake() {
        wakeUp = null;
        wakeUpAt = null;
        arm();
    }

    private static Runnable guarded(Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.error("Timer scheduling failed; retrying at the next load", e);
            }
        };
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
