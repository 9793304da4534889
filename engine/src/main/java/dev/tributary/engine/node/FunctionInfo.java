package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** A deployed function: its newest version's document, runtime and every version number. */
public record FunctionInfo(String name, int version, String runtime, String description, JsonNode definition,
                           List<Integer> versions, Instant deployedAt) {
}
