package dev.tributary.functions.jvm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The handler instances of one function version: at most {@code concurrency} at once (busy or
 * idle), one activation at a time each; excess activations wait in line, first come first served.
 * An instance idle for {@code keepWarm} is reaped, so an idle function holds no class loader.
 * Thread-safe; futures are completed outside the lock.
 */
final class WarmHandlers {

    /** A turn to run an activation: with a warm instance, or with room to make one (a cold start) when {@code warm} is null. */
    record Turn(HandlerInstance warm) {
    }

    private record Idle(HandlerInstance instance, Instant since) {
    }

    private final int concurrency;
    private final Duration keepWarm;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private final Deque<CompletableFuture<Turn>> waiting = new ArrayDeque<>();
    private int live;
    private boolean retired;

    WarmHandlers(int concurrency, Duration keepWarm) {
        this.concurrency = concurrency;
        this.keepWarm = keepWarm;
    }

    /** A turn now or once one frees up; null when this pool was retired and a new one must be asked for. */
    synchronized CompletableFuture<Turn> take() {
        if (retired) {
            return null;
        }
        Idle warm = idle.pollFirst(); // the most recently used, so the others can age out
        if (warm != null) {
            return CompletableFuture.completedFuture(new Turn(warm.instance()));
        }
        if (live < concurrency) {
            live++;
            return CompletableFuture.completedFuture(new Turn(null));
        }
        CompletableFuture<Turn> turn = new CompletableFuture<>();
        waiting.addLast(turn);
        return turn;
    }

    /** An activation is done with {@code instance}, which may serve the next; closes it when this pool is retired. */
    void giveBack(HandlerInstance instance, Instant now) {
        CompletableFuture<Turn> next;
        synchronized (this) {
            if (retired) {
                live--;
                next = null;
            } else {
                next = waiting.pollFirst();
                if (next == null) {
                    idle.addFirst(new Idle(instance, now));
                    return;
                }
            }
        }
        if (next == null) {
            instance.close();
        } else {
            next.complete(new Turn(instance));
        }
    }

    /** An activation ends without an instance to give back (it failed to load, broke, or its thread ran past its timeout). */
    void discard() {
        CompletableFuture<Turn> next;
        synchronized (this) {
            next = retired ? null : waiting.pollFirst();
            if (next == null) {
                live--;
            }
        }
        if (next != null) {
            next.complete(new Turn(null));
        }
    }

    /** Takes out the instances idle for {@code keepWarm} at {@code now}; the caller closes them. */
    synchronized List<HandlerInstance> reap(Instant now) {
        List<HandlerInstance> reaped = new ArrayList<>();
        for (Iterator<Idle> it = idle.iterator(); it.hasNext(); ) {
            Idle entry = it.next();
            if (!entry.since().plus(keepWarm).isAfter(now)) {
                it.remove();
                live--;
                reaped.add(entry.instance());
            }
        }
        return reaped;
    }

    /** Retires this pool if it holds nothing and nobody waits, so its map entry can go; true when retired. */
    synchronized boolean retireIfEmpty() {
        if (live == 0 && waiting.isEmpty()) {
            retired = true;
        }
        return retired;
    }

    /** Retires this pool: returns the idle instances to close and fails those waiting. */
    List<HandlerInstance> retire(RuntimeException whyWaitingFail) {
        List<HandlerInstance> instances = new ArrayList<>();
        List<CompletableFuture<Turn>> failed;
        synchronized (this) {
            retired = true;
            idle.forEach(entry -> instances.add(entry.instance()));
            live -= idle.size();
            idle.clear();
            failed = new ArrayList<>(waiting);
            waiting.clear();
        }
        failed.forEach(turn -> turn.completeExceptionally(whyWaitingFail));
        return instances;
    }

    /** Instances made and not yet reaped: busy and idle. */
    synchronized int instances() {
        return live;
    }
}
