package dev.tributary.engine.node;

import dev.tributary.engine.store.ActivationStore;
import dev.tributary.engine.store.StoreException;
import dev.tributary.functions.Activation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link ActivationSink}: queues activations and writes them to the store in batches on
 * a thread of its own, so shard and dispatch threads never wait on the database. The queue is
 * bounded; when it is full (the store has fallen far behind) an activation is dropped, counted in
 * {@code tributary.activations.dropped} and logged, rather than blocking a shard. {@link #close()}
 * writes everything queued before it returns.
 */
public final class ActivationRecorder implements ActivationSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActivationRecorder.class);

    /** With ~1 KiB per activation a full queue holds ~100 MiB: hours of a slow store at normal rates, never a steady state. */
    static final int DEFAULT_CAPACITY = 100_000;
    static final int DEFAULT_BATCH = 500;
    private static final List<Duration> RETRY_AFTER = List.of(Duration.ofMillis(100), Duration.ofSeconds(1));
    /** After a batch failed, rows are tried one by one; this many failures in a row mean the store is down, not a row bad. */
    private static final int SINGLE_FAILURES_TO_GIVE_UP = 3;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    private static final Pending STOP = new Pending(null, null);

    private record Pending(Activation activation, CompletableFuture<Void> stored) {
    }

    private final ActivationStore store;
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final Thread writer;
    private final Counter recorded;
    private final Counter droppedFull;
    private final Counter droppedClosed;
    private final Counter droppedFailed;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;
    /** Set by the writer before its last drain of the queue: whatever is queued after that is the enqueuer's to drop. */
    private volatile boolean writerDone;

    public ActivationRecorder(ActivationStore store, MeterRegistry registry) {
        this(store, registry, DEFAULT_CAPACITY, DEFAULT_BATCH);
    }

    ActivationRecorder(ActivationStore store, MeterRegistry registry, int capacity, int maxBatch) {
        if (capacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("Expected a queue capacity and batch size of at least 1, but got " + capacity
                    + " and " + maxBatch);
        }
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.recorded = Counter.builder("tributary.activations.recorded").description("Activations written to the store")
                .register(registry);
        this.droppedFull = dropCounter(registry, "queue_full");
        this.droppedClosed = dropCounter(registry, "closed");
        this.droppedFailed = dropCounter(registry, "store_failed");
        Gauge.builder("tributary.activations.queued", queue, BlockingQueue::size)
                .description("Activations waiting to be written").register(registry);
        this.writer = NamedThreads.daemon("tributary-activations").newThread(this::writeUntilStopped);
        writer.start();
    }

    private static Counter dropCounter(MeterRegistry registry, String reason) {
        return Counter.builder("tributary.activations.dropped").tag("reason", reason)
                .description("Activations that were never stored, by reason").register(registry);
    }

    /** Queues the activation; never blocks. */
    @Override
    public void record(Activation activation) {
        enqueue(new Pending(activation, null));
    }

    /**
     * Queues the activation like {@link #record}; the future completes once it is stored, or fails
     * with a {@link StoreException} when it never will be.
     */
    public CompletableFuture<Void> recordDurably(Activation activation) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        enqueue(new Pending(activation, stored));
        return stored;
    }

    private void enqueue(Pending pending) {
        if (closed) {
            drop(List.of(pending), droppedClosed, "the recorder is closed", null);
        } else if (!queue.offer(pending)) {
            drop(List.of(pending), droppedFull, "the queue of " + (queue.size() + queue.remainingCapacity())
                    + " activations waiting for the store is full", null);
        } else if (writerDone) {
            // lost a race with close(): nobody else will look at the queue again
            List<Pending> late = new ArrayList<>();
            queue.drainTo(late);
            late.remove(STOP);
            drop(late, droppedClosed, "the recorder is closed", null);
        }
    }

    private void writeUntilStopped() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break; // only close() interrupts, and only once its wait ran out
            }
            queue.drainTo(batch, maxBatch - 1);
            stop = batch.remove(STOP);
            write(batch);
            batch.clear();
        }
        // what raced with close(), or everything when interrupted
        writerDone = true;
        queue.drainTo(batch);
        batch.remove(STOP);
        write(batch);
    }

    private void write(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        RuntimeException failure = null;
        for (int attempt = 0; attempt <= RETRY_AFTER.size(); attempt++) {
            if (attempt > 0 && !pause(RETRY_AFTER.get(attempt - 1))) {
                break;
            }
            try {
                store.record(batch.stream().map(Pending::activation).toList());
                stored(batch);
                return;
            } catch (RuntimeException e) {
                failure = e;
                LOG.warn("Could not store {} activations (attempt {}): {}", batch.size(), attempt + 1, e.getMessage());
            }
        }
        if (batch.size() == 1) {
            drop(batch, droppedFailed, "the store failed", failure);
            return;
        }
        writeOneByOne(batch);
    }

    /** One bad activation must not cost the batch it came in. */
    private void writeOneByOne(List<Pending> batch) {
        int failuresInARow = 0;
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            try {
                store.record(List.of(pending.activation()));
                stored(List.of(pending));
                failuresInARow = 0;
            } catch (RuntimeException e) {
                drop(List.of(pending), droppedFailed, "the store failed", e);
                if (++failuresInARow == SINGLE_FAILURES_TO_GIVE_UP) {
                    drop(batch.subList(i + 1, batch.size()), droppedFailed, "the store keeps failing", e);
                    return;
                }
            }
        }
    }

    private void stored(List<Pending> written) {
        recorded.increment(written.size());
        for (Pending p : written) {
            if (p.stored() != null) {
                p.stored().complete(null);
            }
        }
    }

    private void drop(List<Pending> lost, Counter counter, String why, RuntimeException cause) {
        if (lost.isEmpty()) {
            return;
        }
        counter.increment(lost.size());
        long total = dropped.addAndGet(lost.size());
        // loud, but not a log line per activation when the store is down for a while
        if (total == lost.size() || total / 1000 != (total - lost.size()) / 1000) {
            LOG.error("Dropped {} activation(s) (first: '{}' of function '{}') because {}; {} dropped since start",
                    lost.size(), lost.get(0).activation().id(), lost.get(0).activation().function(), why, total, cause);
        }
        StoreException failure = new StoreException("Expected to store activation, but " + why, cause);
        for (Pending p : lost) {
            if (p.stored() != null) {
                p.stored().completeExceptionally(failure);
            }
        }
    }

    private static boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops taking activations and writes those queued; waits up to 30 s for a slow store. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!queue.offer(STOP, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                writer.interrupt();
            }
            writer.join(CLOSE_WAIT.toMillis());
            if (writer.isAlive()) {
                writer.interrupt();
                LOG.error("The activation writer did not finish within {}; {} activations were not stored", CLOSE_WAIT, queue.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
