package dev.tributary.connectors.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.Delivery;
import dev.tributary.connectors.EventSink;
import dev.tributary.connectors.PollLoop;
import dev.tributary.connectors.TriggerEvents;
import dev.tributary.dsl.model.TriggerSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source of a {@code queue:} trigger (SPEC §2.5, §3): leases messages of one queue and hands
 * them to the {@link EventSink} as {@code tributary.queue} CloudEvents, one per message
 * ({@code batch: 1}, data {@code {id, message, receiveCount}}) or one per batch (data
 * {@code {messages: [...]}}). A delivery whose rules were all served deletes its messages; a failed
 * one releases them after a backoff ({@code 1 s × 2^(receiveCount-1)}, at most the visibility
 * timeout), and the fifth failed delivery of a message moves it to {@code <queue>.dlq}. A consumer
 * that dies mid-delivery leaves its leases to expire, and the messages are delivered again. While
 * a delivery is in flight its leases are extended, so a slow rule does not get its message twice.
 *
 * <p>Polls run on the given executor and block on the store (give it a pool that may block, not
 * an event loop). It polls again at once while it finds messages, and backs off to
 * {@link Settings#idlePoll()} while the queue is empty; {@link #wake()} polls at once, e.g. right
 * after a message was sent on this node.
 */
public final class QueueConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);

    /**
     * @param visibilityTimeout how long a lease hides a message (SPEC §3: 30 s)
     * @param maxInFlight       deliveries (events) handed over and not yet answered, at most
     * @param idlePoll          the longest wait between polls of an empty queue
     * @param retryBase         the backoff after a message's first failed delivery (doubling after each)
     */
    public record Settings(Duration visibilityTimeout, int maxInFlight, Duration idlePoll, Duration retryBase) {
        public static final Settings DEFAULTS = new Settings(QueueStore.DEFAULT_VISIBILITY_TIMEOUT, 8, Duration.ofSeconds(1),
                Duration.ofSeconds(1));

        public Settings {
            if (visibilityTimeout.toMillis() < 2 || maxInFlight < 1 || idlePoll.isNegative() || retryBase.isNegative()) {
                throw new IllegalArgumentException("Expected a visibility timeout of at least 2 ms, at least 1 delivery in flight and "
                        + "no negative durations, but got " + this);
            }
        }
    }

    private final String trigger;
    private final TriggerSource.Queue source;
    private final QueueStore store;
    private final EventSink sink;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Settings settings;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final PollLoop loop;
    private volatile boolean closed;

    public QueueConsumer(String trigger, TriggerSource.Queue source, QueueStore store, EventSink sink, Clock clock,
                         ScheduledExecutorService executor) {
        this(trigger, source, store, sink, clock, executor, Settings.DEFAULTS);
    }

    public QueueConsumer(String trigger, TriggerSource.Queue source, QueueStore store, EventSink sink, Clock clock,
                         ScheduledExecutorService executor, Settings settings) {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.source = Objects.requireNonNull(source, "source");
        this.store = Objects.requireNonNull(store, "store");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.loop = new PollLoop("queue trigger " + trigger, executor, settings.idlePoll(), this::pass);
    }

    /** Starts polling on the executor. */
    public void start() {
        loop.start();
    }

    /** Polls at once (a message was just sent); cheap, safe from any thread, a no-op unless started. */
    public void wake() {
        loop.wake();
    }

    /**
     * Stops polling. Deliveries in flight still settle while the executor runs; leases of those
     * that cannot simply expire and their messages are delivered again.
     */
    @Override
    public void close() {
        closed = true;
        loop.close();
    }

    /** The deliveries handed over and not yet settled. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * One poll, as {@link #start()} repeats it: leases what the free delivery slots allow, hands
     * it over, and completes with how many messages it leased once every delivery it made has
     * been settled (deleted, released or dead-lettered). For tests and manual drivers.
     */
    public CompletableFuture<Integer> poll() {
        Polled polled = leaseAndHandOver();
        return polled.settled().thenApply(v -> polled.leased());
    }

    /** A pass of the loop: again at once while it finds messages and has free slots; a settled delivery wakes it. */
    private CompletableFuture<PollLoop.Next> pass() {
        Polled polled = leaseAndHandOver();
        boolean more = polled.leased() > 0 && inFlight.get() < settings.maxInFlight();
        return CompletableFuture.completedFuture(more ? PollLoop.Next.NOW : PollLoop.Next.IDLE);
    }

    private record Polled(int leased, CompletableFuture<Void> settled) {
    }

    private Polled leaseAndHandOver() {
        int free = settings.maxInFlight() - inFlight.get();
        if (free <= 0 || closed) {
            return new Polled(0, CompletableFuture.completedFuture(null));
        }
        int batch = source.batch();
        List<QueueMessage> messages = store.receive(source.queue(), batch == 1 ? free : batch, settings.visibilityTimeout(),
                clock.instant());
        List<CompletableFuture<Void>> settled = new ArrayList<>();
        if (batch == 1) {
            messages.forEach(m -> settled.add(deliver(List.of(m), single(m), eventId(m))));
        } else if (!messages.isEmpty()) {
            settled.add(deliver(messages, batchData(messages), trigger + "/" + messages.get(0).lease().token()));
        }
        return new Polled(messages.size(), CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new)));
    }

    /** Unique per delivery: a redelivery has a higher receive count, so it fires again. */
    private String eventId(QueueMessage m) {
        return trigger + "/" + m.id() + "/" + m.receiveCount();
    }

    private static ObjectNode single(QueueMessage m) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("id", m.id());
        data.set("message", m.message());
        data.put("receiveCount", m.receiveCount());
        return data;
    }

    private static ObjectNode batchData(List<QueueMessage> messages) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        ArrayNode list = data.putArray("messages");
        messages.forEach(m -> list.add(single(m)));
        return data;
    }

    private CompletableFuture<Void> deliver(List<QueueMessage> messages, JsonNode data, String eventId) {
        inFlight.incrementAndGet();
        ObjectNode event = TriggerEvents.event(trigger, "tributary.queue", eventId, null, clock.instant(), data);
        ScheduledFuture<?> keepLeases = keepLeases(messages);
        CompletableFuture<Delivery> delivery;
        try {
            delivery = sink.accept(event);
        } catch (RuntimeException e) {
            delivery = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> settled = new CompletableFuture<>();
        delivery.whenComplete((done, error) -> {
            keepLeases.cancel(false);
            try {
                executor.execute(() -> {
                    try {
                        settle(messages, eventId, done, error);
                    } finally {
                        finished(settled);
                    }
                });
            } catch (RejectedExecutionException e) {
                finished(settled); // the executor is shutting down: the leases expire and the messages come back
            }
        });
        return settled;
    }

    private void finished(CompletableFuture<Void> settled) {
        inFlight.decrementAndGet();
        settled.complete(null);
        loop.wake(); // a slot is free (a no-op unless started)
    }

    /** Extends the leases every half visibility timeout while the delivery is in flight. */
    private ScheduledFuture<?> keepLeases(List<QueueMessage> messages) {
        long every = settings.visibilityTimeout().toMillis() / 2;
        return executor.scheduleWithFixedDelay(() -> {
            for (QueueMessage m : messages) {
                try {
                    store.extend(m.lease(), settings.visibilityTimeout(), clock.instant());
                } catch (RuntimeException e) {
                    LOG.warn("Could not extend the lease on message {} of queue {}: {}", m.id(), source.queue(), e.getMessage());
                }
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private void settle(List<QueueMessage> messages, String eventId, Delivery delivery, Throwable error) {
        boolean served = error == null && delivery.succeeded();
        if (!served) {
            LOG.info("Delivery {} of trigger {} failed: {}", eventId, trigger, error != null ? error.getMessage() : failures(delivery));
        }
        for (QueueMessage m : messages) {
            try {
                if (served) {
                    store.delete(m.lease());
                } else if (m.receiveCount() >= QueueStore.MAX_DELIVERIES) {
                    if (store.deadLetter(m.lease(), clock.instant())) {
                        LOG.warn("Message {} of queue {} failed {} deliveries; moved to {}", m.id(), source.queue(), m.receiveCount(),
                                QueueStore.deadLetterQueue(source.queue()));
                    }
                } else {
                    store.release(m.lease(), backoff(m.receiveCount()), clock.instant());
                }
            } catch (RuntimeException e) {
                // the lease expires and the message comes back: at least once, as promised
                LOG.warn("Could not settle message {} of queue {}: {}", m.id(), source.queue(), e.getMessage());
            }
        }
    }

    /** {@code retryBase × 2^(receiveCount-1)}, at most the visibility timeout. */
    Duration backoff(int receiveCount) {
        Duration cap = settings.visibilityTimeout();
        Duration delay = settings.retryBase();
        for (int i = 1; i < receiveCount && delay.compareTo(cap) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    private static String failures(Delivery delivery) {
        return delivery.outcomes().stream().filter(o -> !o.succeeded())
                .map(o -> o.rule() + ": " + o.errorType() + (o.errorMessage() == null ? "" : " " + o.errorMessage()))
                .reduce((a, b) -> a + "; " + b).orElse("not served");
    }
}
