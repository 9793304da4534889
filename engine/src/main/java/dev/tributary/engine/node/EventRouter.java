package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.core.Signal;
import dev.tributary.engine.store.InboxEvent;
import dev.tributary.engine.store.RunStore;
import dev.tributary.engine.store.Task;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes CloudEvents in: stores each in the inbox (deduplicated by id), then resumes every run
 * waiting for its type and subject, then marks it routed. An event accepted but not routed
 * (the node stopped in between) is routed again on start. Rules (SPEC §2.6) come next.
 */
final class EventRouter {

    private static final Logger LOG = LoggerFactory.getLogger(EventRouter.class);
    private static final int RECOVERY_BATCH = 1_000;

    private final RunStore store;
    private final RunDriver driver;
    private final Clock clock;
    private final EngineMetrics metrics;
    private final Executor pool;

    EventRouter(NodeParts parts, Executor pool) {
        this.store = parts.store();
        this.driver = parts.driver();
        this.clock = parts.clock();
        this.metrics = parts.metrics();
        this.pool = pool;
    }

    /** Accepts an event durably, then routes it; completes once it is routed (or known as a duplicate). */
    CompletableFuture<Engine.EventReceipt> publish(JsonNode cloudEvent) {
        InboxEvent event;
        try {
            event = inboxEvent(cloudEvent);
        } catch (EngineException e) {
            return CompletableFuture.failedFuture(e);
        }
        return store.acceptEvent(event).thenComposeAsync(accepted -> {
            if (!accepted) {
                return CompletableFuture.completedFuture(new Engine.EventReceipt(event.id(), true));
            }
            metrics.eventAccepted();
            return route(event).thenApply(v -> new Engine.EventReceipt(event.id(), false));
        }, pool);
    }

    /** Routes what was accepted but not routed before the node stopped. */
    void routeUnrouted() {
        List<InboxEvent> unrouted;
        do {
            unrouted = store.unroutedEvents(RECOVERY_BATCH);
            CompletableFuture.allOf(unrouted.stream().map(this::route).toArray(CompletableFuture[]::new)).join();
        } while (unrouted.size() == RECOVERY_BATCH);
    }

    private CompletableFuture<Void> route(InboxEvent event) {
        List<Task> waits = event.subject() == null ? List.of() : store.waitsFor(event.type(), event.subject());
        CompletableFuture<?>[] resumed = waits.stream()
                .map(wait -> resume(wait, event))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(resumed).handleAsync((v, error) -> {
            if (error == null) {
                store.markRouted(event.id());
            } else {
                LOG.warn("Event '{}' stays unrouted until the next start: {}", event.id(), error.toString());
            }
            return null;
        }, pool);
    }

    /** Resumes one waiting run; a run that is gone counts as delivered. */
    private CompletableFuture<Void> resume(Task wait, InboxEvent event) {
        return driver.signal(wait.runId(), new Signal.EventReceived(wait.id(), event.cloudEvent(), clock.instant()))
                .handle((state, error) -> {
                    Throwable cause = error != null && error.getCause() != null ? error.getCause() : error;
                    if (cause != null && !(cause instanceof EngineException e && e.code() == EngineException.Code.NOT_FOUND)) {
                        throw new IllegalStateException("Expected to resume run '" + wait.runId() + "', but " + cause.getMessage(), cause);
                    }
                    return null;
                });
    }

    private InboxEvent inboxEvent(JsonNode cloudEvent) {
        String id = text(cloudEvent, "id");
        String type = text(cloudEvent, "type");
        if (id == null || type == null) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, "Expected a CloudEvent with an 'id' and a 'type', but "
                    + (id == null ? "'id'" : "'type'") + " is missing");
        }
        return new InboxEvent(id, type, text(cloudEvent, "subject"), text(cloudEvent, "source"), clock.instant(), cloudEvent);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
