package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.core.RunStatus;
import java.time.Instant;

/** A run as the API shows it (SPEC §5 {@code GET /runs/{id}}); {@code error} is {@code {type, message, step, attempt}} or null. */
public record RunView(String id, String workflow, int version, RunStatus status, JsonNode input, JsonNode data,
                      JsonNode output, JsonNode error, Instant startedAt, Instant endedAt, String parentRunId) {
}
