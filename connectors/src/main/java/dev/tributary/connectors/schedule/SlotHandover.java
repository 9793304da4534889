package dev.tributary.connectors.schedule;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.Delivery;
import dev.tributary.connectors.EventSink;
import dev.tributary.connectors.TriggerEvents;
import dev.tributary.dsl.model.TriggerSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one slot of a trigger to the event router as a CloudEvent whose id is
 * {@code <trigger>/<slot>}, so the inbox counts a slot handed over twice (two nodes, a retry, a
 * catch-up racing a firing) once. An event the router could not accept (store down) is offered
 * again after 1 s, doubling to 30 s, for as long as the node runs; once accepted, the slot is
 * recorded in {@link FiredSlots}. A slot never accepted is therefore never recorded, and the next
 * start's catch-up covers it by the trigger's misfire policy.
 */
final class SlotHandover {

    private static final Logger LOG = LoggerFactory.getLogger(SlotHandover.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final EventSink sink;
    private final FiredSlots slots;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private volatile boolean closed;

    /** {@code executor} records slots and runs retries: one thread, so blocking JDBC stays off the sink's threads. */
    SlotHandover(EventSink sink, FiredSlots slots, Clock clock, ScheduledExecutorService executor) {
        this.sink = sink;
        this.slots = slots;
        this.clock = clock;
        this.executor = executor;
    }

    /** Completes once the router has accepted the slot's event; exceptionally only if the handover was closed first. */
    CompletableFuture<Void> handOver(String trigger, TriggerSource source, Instant slot) {
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        attempt(trigger, slot, event(trigger, source, slot, clock.instant()), FIRST_RETRY, accepted);
        return accepted;
    }

    static ObjectNode event(String trigger, TriggerSource source, Instant slot, Instant firedAt) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("scheduledFor", slot.toString());
        data.put("firedAt", firedAt.toString());
        return TriggerEvents.event(trigger, "tributary." + source.kind(), trigger + "/" + slot, null, firedAt, data);
    }

    /** Stops retrying: what is still unaccepted is left to the next start's catch-up. */
    void close() {
        closed = true;
    }

    private void attempt(String trigger, Instant slot, ObjectNode event, Duration nextDelay, CompletableFuture<Void> accepted) {
        CompletableFuture<Delivery> delivery;
        try {
            delivery = sink.accept(event.deepCopy());
        } catch (RuntimeException e) {
            delivery = CompletableFuture.failedFuture(e);
        }
        delivery.whenCompleteAsync((done, error) -> {
            if (error == null) {
                record(trigger, slot);
                accepted.complete(null);
            } else if (closed) {
                accepted.completeExceptionally(error);
            } else {
                LOG.warn("Expected the event router to accept slot {} of trigger '{}', but {}; trying again in {}",
                        slot, trigger, error.getMessage(), nextDelay);
                Duration after = nextDelay.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : nextDelay.multipliedBy(2);
                executor.schedule(() -> attempt(trigger, slot, event, after, accepted), nextDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }, executor);
    }

    private void record(String trigger, Instant slot) {
        try {
            slots.advance(trigger, slot);
        } catch (RuntimeException e) {
            // the slot is accepted; not recording it only makes a later catch-up hand it over again (deduplicated)
            LOG.warn("{}", e.getMessage());
        }
    }
}
