package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.store.RunQuery;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a node offers its HTTP API and in-process callers (tests, the bench harness). Failures a
 * user caused are {@link EngineException}s with a code the API maps to a status; synchronous
 * methods may block on the store (call them off the event loop); futures complete on engine
 * threads once the change is durable.
 */
public interface Engine {

    /**
     * Validates and stores a deploy set atomically, with the code its functions name with
     * {@code code:} (one upload per path, see {@link CodeUpload#resolve}).
     * {@link EngineException.Code#INVALID_DEFINITION} lists every problem, a missing or unusable
     * upload included; BAD_REQUEST names uploads no function names.
     */
    List<Deployed> deploy(List<SourceText> files, List<CodeUpload> code);

    /** A deploy without uploaded code: for sets whose functions are inline or need none. */
    default List<Deployed> deploy(List<SourceText> files) {
        return deploy(files, List.of());
    }

    List<WorkflowInfo> workflows();

    Optional<WorkflowInfo> workflow(String name);

    /** Removes a workflow (runs in flight finish on their version); false when there is none. */
    boolean deleteWorkflow(String name);

    List<FunctionInfo> functions();

    Optional<FunctionInfo> function(String name);

    /**
     * Starts a run of {@code workflow} ({@code name} or {@code name@N}) once the start is durable.
     * The same idempotency key for the same workflow gives the run it started before.
     * NOT_FOUND for an unknown workflow, INPUT_INVALID when the input fails the workflow's schema.
     */
    CompletableFuture<RunView> startRun(String workflow, JsonNode input, String idempotencyKey);

    /** The run once it has ended, or as it is after {@code max}, whichever comes first. NOT_FOUND for an unknown run. */
    CompletableFuture<RunView> awaitEnd(String runId, Duration max);

    Optional<RunView> run(String runId);

    RunList runs(RunQuery query);

    /** NOT_FOUND for an unknown run. */
    List<HistoryEvent> history(String runId);

    /** Cancels a run; NOT_FOUND for an unknown run, CONFLICT when it has already ended. */
    CompletableFuture<RunView> cancel(String runId);

    /**
     * Accepts a CloudEvent (structured form, already checked for the required attributes) durably,
     * then resumes the waits it matches. A repeated id is accepted once.
     */
    CompletableFuture<EventReceipt> publish(JsonNode cloudEvent);

    /** Runs a function directly. NOT_FOUND for an unknown function. */
    CompletableFuture<InvokeOutcome> invoke(String function, JsonNode input);

    Health health();

    record Deployed(String kind, String name, int version) {
    }

    record RunList(List<RunView> runs, String cursor) {
    }

    record EventReceipt(String id, boolean duplicate) {
    }

    /** An activation's record and its result (or error). */
    record InvokeOutcome(JsonNode activation, JsonNode result) {
    }

    record Health(String status, String node, List<String> members) {
    }
}
