package dev.tributary.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.core.RunStatus;
import java.time.Instant;

/**
 * A run row: the columns the API lists and filters on, plus the interpreter's whole state as
 * JSON text ({@code state}, read with {@code RunStateCodec}). {@code version} counts commits
 * (1 after the first) and fences concurrent writers.
 */
public record RunRecord(
        String id,
        String workflow,
        int workflowVersion,
        RunStatus status,
        String parentRunId,
        String idempotencyKey,
        JsonNode input,
        JsonNode output,
        JsonNode error,
        Instant startedAt,
        Instant endedAt,
        long version,
        String state) {
}
