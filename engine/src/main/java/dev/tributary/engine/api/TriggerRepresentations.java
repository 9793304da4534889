package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.engine.node.Engine;
import dev.tributary.engine.node.RuleInfo;
import dev.tributary.engine.node.TriggerInfo;
import dev.tributary.engine.store.RuleFiring;
import java.util.List;

/** The JSON of triggers, rules and firings (SPEC §5). */
final class TriggerRepresentations {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TriggerRepresentations() {
    }

    static ObjectNode triggers(List<TriggerInfo> list) {
        ObjectNode json = NODES.objectNode();
        ArrayNode triggers = json.putArray("triggers");
        list.forEach(t -> triggers.add(trigger(t, false)));
        return json;
    }

    static ObjectNode trigger(TriggerInfo t, boolean withDetails) {
        ObjectNode json = NODES.objectNode().put("name", t.name()).put("version", t.version()).put("kind", t.kind())
                .put("description", t.description()).put("deployedAt", t.deployedAt().toString());
        ArrayNode next = json.putArray("nextFires");
        t.nextFires().forEach(i -> next.add(i.toString()));
        ArrayNode rules = json.putArray("rules");
        t.rules().forEach(rules::add);
        if (withDetails) {
            json.set("definition", t.definition());
            ArrayNode firings = json.putArray("lastFirings");
            t.lastFirings().forEach(f -> firings.add(firing(f)));
        }
        return json;
    }

    static ObjectNode firing(RuleFiring f) {
        ObjectNode json = NODES.objectNode().put("eventId", f.eventId()).put("rule", f.rule()).put("firedAt", f.firedAt().toString())
                .put("target", f.target()).put("name", f.targetName()).put("status", f.served() ? "served" : "failed");
        if (f.runId() != null) {
            json.put("runId", f.runId());
        }
        if (f.activationId() != null) {
            json.put("activationId", f.activationId());
        }
        if (!f.served()) {
            json.putObject("error").put("type", f.errorType()).put("message", f.errorMessage());
        }
        return json;
    }

    static ObjectNode rules(List<RuleInfo> list) {
        ObjectNode json = NODES.objectNode();
        ArrayNode rules = json.putArray("rules");
        list.forEach(r -> rules.add(rule(r)));
        return json;
    }

    static ObjectNode rule(RuleInfo r) {
        ObjectNode json = NODES.objectNode().put("name", r.name()).put("version", r.version()).put("trigger", r.trigger())
                .put(r.target(), r.targetName()).put("if", r.condition()).put("enabled", r.enabled());
        if (r.fromWorkflow() != null) {
            json.put("fromWorkflow", r.fromWorkflow());
        }
        return json;
    }

    static ObjectNode fired(Engine.EventReceipt receipt) {
        ObjectNode json = NODES.objectNode().put("eventId", receipt.id()).put("duplicate", receipt.duplicate());
        ArrayNode rules = json.putArray("rules");
        receipt.rules().forEach(rules::add);
        ArrayNode runs = json.putArray("runs");
        receipt.runs().forEach(runs::add);
        return json;
    }
}
