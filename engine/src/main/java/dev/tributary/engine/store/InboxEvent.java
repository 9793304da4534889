package dev.tributary.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** An accepted CloudEvent: its id (unique), type and subject (for routing) and the whole envelope. */
public record InboxEvent(String id, String type, String subject, String source, Instant receivedAt, JsonNode cloudEvent) {
}
