package dev.tributary.dsl.expr;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops evaluations that run past their deadline by setting their JEXL cancellation flag: the interpreter checks it
 * at every loop iteration and node, and unwinds. One daemon thread for the process, sweeping every few milliseconds
 * only while something is being watched; the evaluating thread itself is never interrupted.
 */
final class Watchdog {

    static final Watchdog SHARED = new Watchdog();

    private static final long SWEEP_MILLIS = 5;

    private final Set<Evaluation> watched = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile ScheduledExecutorService timer;

    private Watchdog() {
    }

    void watch(Evaluation evaluation) {
        watched.add(evaluation);
        if (sweeping.compareAndSet(false, true)) {
            schedule();
        }
    }

    void release(Evaluation evaluation) {
        watched.remove(evaluation);
    }

    private void sweep() {
        for (Evaluation evaluation : watched) {
            if (evaluation.pastDeadline()) {
                evaluation.stop(null);
            }
        }
        if (!watched.isEmpty()) {
            schedule();
            return;
        }
        sweeping.set(false);
        // Something may have been added between the emptiness check and the reset: it found sweeping still true.
        if (!watched.isEmpty() && sweeping.compareAndSet(false, true)) {
            schedule();
        }
    }

    private void schedule() {
        timer().schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private ScheduledExecutorService timer() {
        ScheduledExecutorService t = timer;
        if (t == null) {
            synchronized (this) {
                t = timer;
                if (t == null) {
                    t = Executors.newSingleThreadScheduledExecutor(runnable -> {
                        Thread thread = new Thread(runnable, "tributary-expression-watchdog");
                        thread.setDaemon(true);
                        return thread;
                    });
                    timer = t;
                }
            }
        }
        return t;
    }
}
