package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.store.RuleFiring;
import java.time.Instant;
import java.util.List;

/**
 * A deployed trigger as {@code GET /triggers/{name}} shows it.
 *
 * @param kind        its source key: cron, every, http, github, queue, stream, files, event
 * @param nextFires   the next three fire times of a cron or every trigger, else empty
 * @param rules       the rules bound to it (deployed and workflows' {@code on:}), by name
 * @param lastFirings what its latest events fired, newest first (empty in lists)
 */
public record TriggerInfo(String name, int version, String kind, String description, JsonNode definition, Instant deployedAt,
                          List<Instant> nextFires, List<String> rules, List<RuleFiring> lastFirings) {
}
