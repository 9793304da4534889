package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.model.Ref;
import dev.tributary.engine.core.RunId;
import dev.tributary.engine.core.Signal;
import dev.tributary.engine.core.WorkflowPlan;
import dev.tributary.engine.store.RunRecord;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Starting a run, for the API and for rules: the workflow looked up, the input checked, the start made durable. */
final class RunStarts {

    private final NodeParts parts;

    RunStarts(NodeParts parts) {
        this.parts = parts;
    }

    /**
     * Starts a run of {@code workflow} ({@code name} or {@code name@N}); the same idempotency key
     * for the same workflow gives the run it started before. Throws (does not return a failed
     * future) when the workflow, its version or the input is refused; may block on the store.
     */
    CompletableFuture<RunView> start(String workflow, JsonNode input, String idempotencyKey) {
        return start(workflow, input, null, idempotencyKey, true);
    }

    /**
     * @param event     the CloudEvent that started the run ({@code event} in its expressions), or null
     * @param lookFirst whether to look for the key's run before starting one; without, a taken key
     *                  is found when the start's commit meets the unique key (a slower path, so only
     *                  for callers whose key is almost never taken, such as a rule's first firing)
     */
    CompletableFuture<RunView> start(String workflow, JsonNode input, JsonNode event, String idempotencyKey, boolean lookFirst) {
        Ref ref = parseRef(workflow);
        WorkflowPlan plan = planToStart(ref);
        if (idempotencyKey != null && lookFirst) {
            Optional<RunRecord> existing = parts.store().runByIdempotencyKey(plan.name(), idempotencyKey);
            if (existing.isPresent()) {
                return CompletableFuture.completedFuture(RunViews.of(existing.get()));
            }
        }
        JsonNode in = input == null || input.isMissingNode() ? Json.object() : input;
        int bytes = Json.bytes(in);
        if (bytes > Node.MAX_INPUT_BYTES) {
            throw new EngineException(EngineException.Code.LIMIT_EXCEEDED, "The input of a run of workflow '" + plan.name()
                    + "' is " + bytes + " bytes, over the limit 'run input' of " + Node.MAX_INPUT_BYTES + " bytes");
        }
        parts.schemas().check(plan, in);
        String id = parts.ids().next();
        Signal.Start start = new Signal.Start(new RunId(id, plan.name(), plan.version()), in, event, null, parts.clock().instant());
        return parts.driver().start(new RunDriver.StartRun(plan, start, idempotencyKey)).thenApply(RunViews::of);
    }

    private WorkflowPlan planToStart(Ref ref) {
        if (parts.definitions().latest(Kind.WORKFLOW, ref.name()).isEmpty()) {
            throw new EngineException(EngineException.Code.NOT_FOUND, "There is no workflow '" + ref.name() + "'");
        }
        return parts.definitions().plan(ref.name(), ref.version()).orElseThrow(() -> new EngineException(
                EngineException.Code.NOT_FOUND, "Workflow '" + ref.name() + "' has no version " + ref.version()));
    }

    private static Ref parseRef(String workflow) {
        int at = workflow.lastIndexOf('@');
        if (at < 0) {
            return Ref.latest(workflow);
        }
        try {
            int version = Integer.parseInt(workflow.substring(at + 1));
            if (version < 1) {
                throw new NumberFormatException();
            }
            return new Ref(workflow.substring(0, at), version);
        } catch (NumberFormatException e) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, "Expected a workflow as name or name@version, but got '"
                    + workflow + "'");
        }
    }
}
