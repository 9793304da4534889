package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.node.ActivationJson;
import dev.tributary.engine.node.Engine;
import dev.tributary.engine.node.FunctionInfo;
import dev.tributary.engine.node.RunView;
import dev.tributary.engine.node.WorkflowInfo;
import dev.tributary.engine.store.ActivationPage;
import dev.tributary.engine.store.ActivationTotals;
import dev.tributary.engine.store.Usage;
import dev.tributary.functions.Activation;
import java.time.Instant;
import java.util.List;

/**
 * The JSON shapes of SPEC §5, written field by field so the wire format is stated here and does
 * not drift with the records behind it. Times are ISO-8601 instants in UTC.
 */
final class Representations {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Representations() {
    }

    static ObjectNode run(RunView run) {
        ObjectNode json = NODES.objectNode();
        json.put("id", run.id());
        json.put("workflow", run.workflow());
        json.put("version", run.version());
        json.put("status", run.status().name());
        json.set("input", orNull(run.input()));
        json.set("data", orNull(run.data()));
        json.set("output", orNull(run.output()));
        json.set("error", orNull(run.error()));
        json.set("startedAt", time(run.startedAt()));
        json.set("endedAt", time(run.endedAt()));
        if (run.parentRunId() != null) {
            json.put("parentRunId", run.parentRunId());
        }
        return json;
    }

    /** {@code GET /runs/{id}}: the run and what its activations cost so far. */
    static ObjectNode runWithCost(RunView run, ActivationTotals cost) {
        ObjectNode json = run(run);
        json.set("cost", totals(cost));
        return json;
    }

    static ObjectNode runs(Engine.RunList list) {
        ObjectNode json = NODES.objectNode();
        ArrayNode runs = json.putArray("runs");
        list.runs().forEach(r -> runs.add(run(r)));
        json.set("cursor", list.cursor() == null ? NODES.nullNode() : NODES.textNode(list.cursor()));
        return json;
    }

    static ObjectNode history(List<HistoryEvent> events) {
        ObjectNode json = NODES.objectNode();
        ArrayNode array = json.putArray("events");
        for (HistoryEvent e : events) {
            ObjectNode event = array.addObject();
            event.put("seq", e.seq());
            event.put("type", e.type().name());
            event.put("step", e.step());
            event.set("at", time(e.at()));
            event.set("data", orNull(e.data()));
        }
        return json;
    }

    /** One workflow; the list leaves the definition out to stay small. */
    static ObjectNode workflow(WorkflowInfo w, boolean withDefinition) {
        return deployedResource(w.name(), w.version(), null, w.description(), w.versions(), w.deployedAt(),
                w.definition(), withDefinition);
    }

    static ObjectNode workflows(List<WorkflowInfo> list) {
        ObjectNode json = NODES.objectNode();
        ArrayNode array = json.putArray("workflows");
        list.forEach(w -> array.add(workflow(w, false)));
        json.putNull("cursor");
        return json;
    }

    static ObjectNode function(FunctionInfo f, boolean withDefinition) {
        return deployedResource(f.name(), f.version(), f.runtime(), f.description(), f.versions(), f.deployedAt(),
                f.definition(), withDefinition);
    }

    /** A deployed workflow or function: name, newest version, (runtime), description, versions, and the definition if asked. */
    private static ObjectNode deployedResource(String name, int version, String runtime, String description,
                                               List<Integer> versions, Instant deployedAt, JsonNode definition,
                                               boolean withDefinition) {
        ObjectNode json = NODES.objectNode();
        json.put("name", name);
        json.put("version", version);
        if (runtime != null) {
            json.put("runtime", runtime);
        }
        json.put("description", description);
        versions(json, versions);
        json.set("deployedAt", time(deployedAt));
        if (withDefinition) {
            json.set("definition", orNull(definition));
        }
        return json;
    }

    static ObjectNode functions(List<FunctionInfo> list) {
        ObjectNode json = NODES.objectNode();
        ArrayNode array = json.putArray("functions");
        list.forEach(f -> array.add(function(f, false)));
        json.putNull("cursor");
        return json;
    }

    static ObjectNode deployed(List<Engine.Deployed> deployed) {
        ObjectNode json = NODES.objectNode();
        ArrayNode array = json.putArray("deployed");
        deployed.forEach(d -> array.addObject().put("kind", d.kind()).put("name", d.name()).put("version", d.version()));
        return json;
    }

    static ObjectNode invoked(Engine.InvokeOutcome outcome) {
        ObjectNode json = NODES.objectNode();
        json.set("activation", orNull(outcome.activation()));
        json.set("result", orNull(outcome.result()));
        return json;
    }

    /** One activation; the list leaves the logs out to stay small. */
    static ObjectNode activation(Activation activation, boolean withLogs) {
        return ActivationJson.of(activation, withLogs);
    }

    static ObjectNode activations(ActivationPage page) {
        ObjectNode json = NODES.objectNode();
        ArrayNode array = json.putArray("activations");
        page.activations().forEach(a -> array.add(activation(a, false)));
        json.set("cursor", page.cursor() == null ? NODES.nullNode() : NODES.textNode(page.cursor()));
        return json;
    }

    static ObjectNode usage(Engine.UsageReport report) {
        ObjectNode json = NODES.objectNode();
        ArrayNode functions = json.putArray("functions");
        for (Usage.FunctionUsage f : report.usage().functions()) {
            functions.addObject().put("function", f.function()).setAll(totals(f.totals()));
        }
        json.set("total", totals(report.usage().total()));
        json.set("from", time(report.from()));
        json.set("to", time(report.to()));
        json.put("pricePerGbSecond", report.pricePerGbSecond());
        return json;
    }

    private static ObjectNode totals(ActivationTotals totals) {
        return NODES.objectNode().put("activations", totals.activations()).put("gbSeconds", totals.gbSeconds())
                .put("cost", totals.cost());
    }

    static ObjectNode eventReceipt(Engine.EventReceipt receipt) {
        ObjectNode json = NODES.objectNode().put("id", receipt.id()).put("duplicate", receipt.duplicate());
        ArrayNode rules = json.putArray("rules");
        receipt.rules().forEach(rules::add);
        ArrayNode runs = json.putArray("runs");
        receipt.runs().forEach(runs::add);
        return json;
    }

    static ObjectNode health(Engine.Health health) {
        ObjectNode json = NODES.objectNode();
        json.put("status", health.status());
        json.put("node", health.node());
        ArrayNode members = json.putArray("members");
        if (health.members() != null) {
            health.members().forEach(members::add);
        }
        return json;
    }

    private static void versions(ObjectNode json, List<Integer> versions) {
        ArrayNode array = json.putArray("versions");
        versions.forEach(array::add);
    }

    private static JsonNode time(Instant instant) {
        return instant == null ? NODES.nullNode() : NODES.textNode(instant.toString());
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null || node.isMissingNode() ? NODES.nullNode() : node;
    }
}
