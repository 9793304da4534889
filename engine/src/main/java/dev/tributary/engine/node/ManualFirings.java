package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.TriggerEvents;
import dev.tributary.dsl.model.TriggerDef;
import java.time.Instant;
import java.util.UUID;

/** The event {@code POST /triggers/{name}/fire} sends as the trigger's: a given CloudEvent, or one made around the given data. */
final class ManualFirings {

    private ManualFirings() {
    }

    static ObjectNode event(TriggerDef trigger, JsonNode body, Instant now) {
        if (body != null && body.isObject() && body.has("specversion")) {
            ObjectNode event = ((ObjectNode) body).deepCopy();
            if (!event.hasNonNull("id")) {
                event.put("id", UUID.randomUUID().toString());
            }
            if (!event.hasNonNull("type")) {
                event.put("type", "tributary." + trigger.source().kind());
            }
            if (!event.hasNonNull("source")) {
                event.put("source", "/triggers/" + trigger.name());
            }
            return event.put(TriggerEvents.TRIGGER, trigger.name());
        }
        JsonNode data = body == null || body.isMissingNode() ? Json.object() : body;
        return TriggerEvents.event(trigger.name(), "tributary." + trigger.source().kind(), UUID.randomUUID().toString(), null, now, data);
    }
}
