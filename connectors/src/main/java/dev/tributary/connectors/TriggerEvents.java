package dev.tributary.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The CloudEvents a trigger's firing produces (SPEC §2.5). Every one names its trigger in the
 * {@code trigger} extension attribute, which is how the router finds the trigger's rules; one
 * meant for a single rule (a stream batch read at that rule's checkpoint) also names the rule.
 */
public final class TriggerEvents {

    /** Extension attribute: the trigger that fired. */
    public static final String TRIGGER = "trigger";
    /** Extension attribute: the only rule the event is for. */
    public static final String RULE = "rule";

    private TriggerEvents() {
    }

    /**
     * @param type    e.g. {@code tributary.cron}, {@code tributary.github.push}
     * @param id      unique per firing, and the same when the same firing is handed over again
     *                (e.g. {@code <trigger>/<scheduled instant>}): the inbox dedupes on it
     * @param subject may be null
     */
    public static ObjectNode event(String trigger, String type, String id, String subject, Instant time, JsonNode data) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", "/triggers/" + trigger);
        event.put("type", type);
        if (subject != null) {
            event.put("subject", subject);
        }
        event.put("time", time.toString());
        event.put("datacontenttype", "application/json");
        event.put(TRIGGER, trigger);
        event.set("data", data == null ? JsonNodeFactory.instance.nullNode() : data);
        return event;
    }

    /** The same event, meant only for {@code rule}. */
    public static ObjectNode forRule(ObjectNode event, String rule) {
        event.put(RULE, rule);
        return event;
    }
}
