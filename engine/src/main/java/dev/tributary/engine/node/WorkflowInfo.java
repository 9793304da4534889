package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** A deployed workflow: its newest version's document, description and every version number. */
public record WorkflowInfo(String name, int version, String description, JsonNode definition, List<Integer> versions,
                           Instant deployedAt) {
}
