package dev.tributary.connectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes a CloudEvent the way {@code POST /events} does (what {@code event.emit} needs):
 * completes with the event's id once it is durable; a repeated id is accepted once.
 */
@FunctionalInterface
public interface EventPublisher {

    CompletableFuture<String> publish(ObjectNode cloudEvent);
}
