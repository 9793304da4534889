package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.queue.QueueStats;
import dev.tributary.connectors.stream.StreamStore;
import dev.tributary.connectors.table.TableStore;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.store.ActivationPage;
import dev.tributary.engine.store.ActivationQuery;
import dev.tributary.engine.store.ActivationTotals;
import dev.tributary.engine.store.RunQuery;
import dev.tributary.engine.store.SecretInfo;
import dev.tributary.engine.store.Usage;
import dev.tributary.functions.Activation;
import java.time.Duration;
import java.time.Instant;
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

    /** The deployed triggers, by name. */
    List<TriggerInfo> triggers();

    /** A trigger with its next fire times and last firings. */
    Optional<TriggerInfo> trigger(String name);

    /**
     * Fires a trigger by hand: {@code body} is a CloudEvent (it has {@code specversion}) sent as the
     * trigger's, or the event's {@code data}. NOT_FOUND for an unknown trigger.
     */
    CompletableFuture<EventReceipt> fireTrigger(String name, JsonNode body);

    /** Every rule, deployed or from a workflow's {@code on:}, by name. */
    List<RuleInfo> rules();

    /**
     * Enables or disables a deployed rule (a new version of it, so the change is durable and
     * versioned). NOT_FOUND for an unknown rule, BAD_REQUEST for a workflow's {@code on:} entry.
     */
    RuleInfo setRuleEnabled(String name, boolean enabled);

    /** A request to {@code /hooks/...}: never fails; refusals are answered with their status. */
    CompletableFuture<HookResponse> hook(HookRequest request);

    /** Runs a function directly. NOT_FOUND for an unknown function. */
    CompletableFuture<InvokeOutcome> invoke(String function, JsonNode input);

    /**
     * Recorded activations newest first, filtered. BAD_REQUEST for a cursor this node did not hand
     * out. Recording runs a batch behind the activations (milliseconds), except for
     * {@link #invoke}, which answers only once its activation is stored.
     */
    ActivationPage activations(ActivationQuery query);

    Optional<Activation> activation(String id);

    /**
     * Usage per function of the activations that started in {@code [from, to)}. A null {@code to}
     * is now, a null {@code from} the start of the UTC month {@code to} falls in; BAD_REQUEST when
     * the range is empty.
     */
    UsageReport usage(Instant from, Instant to);

    /** What the activations of one run (every step and attempt) used and cost so far. */
    ActivationTotals runCost(String runId);

    /**
     * Stores a secret's value, sealed (replacing any value it had). BAD_REQUEST for a name that is
     * not {@code [A-Za-z0-9][A-Za-z0-9_.-]{0,127}} or a value that is empty or over 64 KiB.
     */
    void putSecret(String name, String value);

    /** Every secret's name and when it was last written, by name; never a value. */
    List<SecretInfo> secrets();

    /** Removes a secret; false when there is none. BAD_REQUEST for a name that is not valid. */
    boolean deleteSecret(String name);

    Health health();

    /** The built-in table connector's items (SPEC §5, §6); names, keys and items it refuses are BAD_REQUEST or LIMIT_EXCEEDED. */
    TableStore tables();

    // ---- built-in queues and streams (SPEC §5); these block on the store

    /** Sends a message to a built-in queue; its id once it is durable. BAD_REQUEST for a bad name, LIMIT_EXCEEDED over 1 MiB. */
    String sendMessage(String queue, JsonNode message);

    /** A queue's counts (all 0 for a queue never used). BAD_REQUEST for a bad name. */
    QueueStats queueStats(String queue);

    /** Appends a record to a built-in stream once it is durable. BAD_REQUEST for a bad name or key, LIMIT_EXCEEDED over 1 MiB. */
    StreamStore.Appended putRecord(String stream, String partitionKey, JsonNode data);

    /** Every shard of a stream with its newest sequence (0 for a stream never used). BAD_REQUEST for a bad name. */
    List<StreamStore.ShardInfo> streamShards(String stream);

    record Deployed(String kind, String name, int version) {
    }

    record RunList(List<RunView> runs, String cursor) {
    }

    /**
     * @param rules the rules the event fired (none for a duplicate)
     * @param runs  the runs those rules started
     */
    record EventReceipt(String id, boolean duplicate, List<String> rules, List<String> runs) {

        public EventReceipt {
            rules = List.copyOf(rules);
            runs = List.copyOf(runs);
        }
    }

    /** An activation's record and its result (or error). */
    record InvokeOutcome(JsonNode activation, JsonNode result) {
    }

    record Health(String status, String node, List<String> members) {
    }

    /** Usage over {@code [from, to)}, and the price per GB-second new activations are charged at. */
    record UsageReport(Instant from, Instant to, double pricePerGbSecond, Usage usage) {
    }
}
