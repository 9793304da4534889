package dev.tributary.connectors.stream;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One record of a stream's shard, {@code data} as it was put. */
public record StreamRecord(String stream, int shard, long sequence, String partitionKey, JsonNode data, Instant putAt) {
}
