package dev.tributary.connectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * Where trigger sources hand the CloudEvents they make (the engine's event router). A source
 * knows nothing of rules or runs: it only learns, per event, whether every rule it fired was
 * served, so it can acknowledge (a queue message, a stream checkpoint) or try again.
 */
@FunctionalInterface
public interface EventSink {

    /**
     * Accepts one structured CloudEvent durably (the inbox dedupes on its {@code id}), fires the
     * rules it matches, and completes once each fired rule has been served: a function's
     * activation has ended, a workflow's run has durably started. Completes exceptionally only
     * when the event could not be accepted (invalid, store down); it is then not durable.
     */
    CompletableFuture<Delivery> accept(ObjectNode cloudEvent);
}
