package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The CloudEvent an {@code emit:} step publishes. Its id is the interpreter's stable event id, so a re-dispatch is deduplicated. */
final class EmittedEvents {

    private EmittedEvents() {
    }

    static ObjectNode cloudEvent(CommandTasks.Emit emit, Instant at) {
        ObjectNode event = Json.object();
        event.put("specversion", "1.0");
        event.put("id", emit.eventId());
        event.put("source", "/workflows/" + emit.workflow() + "/runs/" + emit.runId());
        event.put("type", emit.type());
        if (emit.subject() != null) {
            event.put("subject", emit.subject());
        }
        event.put("time", at.toString());
        event.put("datacontenttype", "application/json");
        event.set("data", emit.data());
        return event;
    }
}
