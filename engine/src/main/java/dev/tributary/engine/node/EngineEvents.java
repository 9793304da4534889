package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.functions.Activation;
import dev.tributary.functions.InvocationResult;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The engine's own events (SPEC §2.5): {@code tributary.run.succeeded|failed|timed_out} when a run
 * ends and {@code tributary.activation.failed} when an activation fails, subject = the workflow or
 * function. Made only while an {@code event:} trigger with an enabled rule listens for the type, so
 * they cost nothing otherwise. Published after the fact, not in the run's transaction: a node that
 * dies between a run's end and its event does not publish it (said in the README).
 */
final class EngineEvents {

    static final String ACTIVATION_FAILED = "tributary.activation.failed";
    private static final String RUN_ENDED_ID = "run-ended/";
    private static final String ACTIVATION_FAILED_ID = "activation-failed/";

    private final Supplier<RuleBook> rules;
    private final Consumer<ObjectNode> publish;
    private final Clock clock;

    EngineEvents(Supplier<RuleBook> rules, Consumer<ObjectNode> publish, Clock clock) {
        this.rules = rules;
        this.publish = publish;
        this.clock = clock;
    }

    /** @param cause the event that started (or last resumed) the run: a run an engine event caused makes none (no loops) */
    void runEnded(RunView run, JsonNode cause) {
        String type = runType(run.status());
        if (type == null || isEngineEvent(cause) || !rules.get().listensTo(type)) {
            return;
        }
        ObjectNode data = Json.object().put("runId", run.id()).put("workflow", run.workflow()).put("version", run.version())
                .put("status", run.status().name());
        data.set("output", run.output());
        data.set("error", run.error());
        publish.accept(event(RUN_ENDED_ID + run.id(), type, run.workflow(), "/workflows/" + run.workflow() + "/runs/" + run.id(), data));
    }

    void activationEnded(Activation activation) {
        if (!(activation.result() instanceof InvocationResult.Failure failure) || !rules.get().listensTo(ACTIVATION_FAILED)
                || activation.idempotencyKey().startsWith(ACTIVATION_FAILED_ID) || activation.idempotencyKey().startsWith(RUN_ENDED_ID)) {
            return; // a rule's function for an engine event (its key is <event id>/<rule>) makes none: a failing handler would loop
        }
        ObjectNode data = Json.object().put("activationId", activation.id()).put("function", activation.function())
                .put("version", activation.version()).put("runId", activation.runId()).put("step", activation.step());
        data.set("error", Json.object().put("type", failure.type()).put("message", failure.message()));
        publish.accept(event(ACTIVATION_FAILED_ID + activation.id(), ACTIVATION_FAILED, activation.function(),
                "/functions/" + activation.function(), data));
    }

    private static boolean isEngineEvent(JsonNode event) {
        String type = event == null ? "" : event.path("type").asText("");
        return type.startsWith("tributary.run.") || type.equals(ACTIVATION_FAILED);
    }

    private ObjectNode event(String id, String type, String subject, String source, ObjectNode data) {
        ObjectNode event = Json.object().put("specversion", "1.0").put("id", id).put("source", source).put("type", type)
                .put("subject", subject).put("time", clock.instant().toString()).put("datacontenttype", "application/json");
        event.set("data", data);
        return event;
    }

    private static String runType(RunStatus status) {
        return switch (status) {
            case SUCCEEDED -> "tributary.run.succeeded";
            case FAILED -> "tributary.run.failed";
            case TIMED_OUT -> "tributary.run.timed_out";
            default -> null;
        };
    }
}
