package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.ConnectorNames;
import dev.tributary.connectors.queue.QueueStats;
import dev.tributary.connectors.queue.QueueStore;
import dev.tributary.connectors.stream.StreamStore;
import dev.tributary.connectors.table.TableStore;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.node.CodeUpload;
import dev.tributary.engine.node.Engine;
import dev.tributary.engine.node.EngineException;
import dev.tributary.engine.node.FunctionInfo;
import dev.tributary.engine.node.RunView;
import dev.tributary.engine.node.WorkflowInfo;
import dev.tributary.engine.store.ActivationPage;
import dev.tributary.engine.store.ActivationQuery;
import dev.tributary.engine.store.ActivationTotals;
import dev.tributary.engine.store.RunQuery;
import dev.tributary.engine.store.SecretInfo;
import dev.tributary.engine.store.Usage;
import dev.tributary.functions.Activation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link Engine} for testing the HTTP layer and the CLI: it keeps what it was given,
 * answers the way the contract says (NOT_FOUND, CONFLICT, INPUT_INVALID, ...) and records the
 * calls so tests can check what crossed the HTTP boundary. It runs nothing: a started run stays
 * RUNNING until {@link #finishRunsWith} says how waits end.
 */
public final class FakeEngine implements Engine {

    static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public final List<List<SourceText>> deploys = new CopyOnWriteArrayList<>();
    /** The code uploaded with each deploy, in the order of {@link #deploys}. */
    public final List<List<CodeUpload>> codeUploads = new CopyOnWriteArrayList<>();
    public final List<JsonNode> published = new CopyOnWriteArrayList<>();
    public final List<String> startKeys = new CopyOnWriteArrayList<>();
    public final List<JsonNode> startInputs = new CopyOnWriteArrayList<>();
    public final List<RunQuery> queries = new CopyOnWriteArrayList<>();
    public final List<Duration> awaited = new CopyOnWriteArrayList<>();
    public final List<JsonNode> invokeInputs = new CopyOnWriteArrayList<>();
    public final List<ActivationQuery> activationQueries = new CopyOnWriteArrayList<>();
    /** {@code [from, to]} of every usage call, as the API passed them (null when not given). */
    public final List<List<Instant>> usageRanges = new CopyOnWriteArrayList<>();
    /** The secrets put, by name, as they crossed the HTTP boundary. */
    public final Map<String, String> secretValues = new ConcurrentSkipListMap<>();

    private final Map<String, WorkflowInfo> workflows = new ConcurrentHashMap<>();
    private final Map<String, FunctionInfo> functions = new ConcurrentHashMap<>();
    private final Map<String, RunView> runs = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, List<HistoryEvent>> histories = new ConcurrentHashMap<>();
    private final Map<String, String> runsByKey = new ConcurrentHashMap<>();
    private final Map<String, Boolean> eventIds = new ConcurrentHashMap<>();
    private final Map<String, Activation> activations = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicInteger ids = new AtomicInteger();
    /** Messages sent, by queue; records put, by stream. */
    public final Map<String, List<JsonNode>> sentMessages = new ConcurrentHashMap<>();
    public final Map<String, List<JsonNode>> putRecords = new ConcurrentHashMap<>();
    private final Map<String, long[]> shardSequences = new ConcurrentHashMap<>();

    private volatile RuntimeException deployFailure;
    private volatile RuntimeException crash;
    private volatile RunStatus finishStatus;
    private volatile boolean finishOnRead;

    // --- fixture setup ---------------------------------------------------------------------

    public FakeEngine withWorkflow(String name) {
        ObjectNode definition = NODES.objectNode().put("workflow", name);
        definition.putArray("steps").addObject().put("name", "only").put("set", "x");
        workflows.put(name, new WorkflowInfo(name, 2, "The " + name + " workflow", definition, List.of(1, 2), T0));
        return this;
    }

    public FakeEngine withFunction(String name) {
        ObjectNode definition = NODES.objectNode().put("function", name).put("runtime", "expr").put("expr", "${ input }");
        functions.put(name, new FunctionInfo(name, 1, "expr", null, definition, List.of(1), T0));
        return this;
    }

    public RunView withRun(String id, String workflow, RunStatus status) {
        RunView run = new RunView(id, workflow, 1, status, NODES.objectNode().put("n", 1), NODES.objectNode().put("n", 1),
                status == RunStatus.SUCCEEDED ? NODES.objectNode().put("done", true) : null,
                status == RunStatus.FAILED ? NODES.objectNode().put("type", "Boom").put("message", "it broke")
                        .put("step", "only").put("attempt", 1) : null,
                T0, status.isFinal() ? T0.plusSeconds(2) : null, null);
        runs.put(id, run);
        histories.put(id, List.of(
                new HistoryEvent(1, HistoryEvent.Type.RunStarted, null, T0, NODES.objectNode().put("n", 1)),
                new HistoryEvent(2, HistoryEvent.Type.StepStarted, "only", T0.plusMillis(5), null)));
        return run;
    }

    /** Activations are listed newest first in the order they were added (the last added first). */
    public FakeEngine withActivation(Activation activation) {
        activations.put(activation.id(), activation);
        return this;
    }

    /** Every deploy fails with this (e.g. an INVALID_DEFINITION with details). */
    public void failDeploysWith(RuntimeException failure) {
        this.deployFailure = failure;
    }

    /** Listing workflows and health throw this: a bug inside the engine. */
    public void crashWith(RuntimeException failure) {
        this.crash = failure;
    }

    /** {@code awaitEnd} ends the run in this status at once; null leaves runs RUNNING. */
    public void finishRunsWith(RunStatus status) {
        this.finishStatus = status;
    }

    /** The run ends (SUCCEEDED) the first time it is read with {@code run(id)}, as if it finished meanwhile. */
    public void finishRunsWhenRead() {
        this.finishOnRead = true;
    }

    public RunView storedRun(String id) {
        return runs.get(id);
    }

    // --- Engine ------------------------------------------------------------------------------

    @Override
    public List<Deployed> deploy(List<SourceText> files, List<CodeUpload> code) {
        deploys.add(List.copyOf(files));
        codeUploads.add(List.copyOf(code));
        if (deployFailure != null) {
            throw deployFailure;
        }
        return List.of(new Deployed("function", "greet", 1), new Deployed("workflow", "hello", 3));
    }

    @Override
    public List<WorkflowInfo> workflows() {
        if (crash != null) {
            throw crash;
        }
        return workflows.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    @Override
    public Optional<WorkflowInfo> workflow(String name) {
        return Optional.ofNullable(workflows.get(name));
    }

    @Override
    public boolean deleteWorkflow(String name) {
        return workflows.remove(name) != null;
    }

    @Override
    public List<FunctionInfo> functions() {
        return functions.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    @Override
    public Optional<FunctionInfo> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    @Override
    public CompletableFuture<RunView> startRun(String workflow, JsonNode input, String idempotencyKey) {
        startKeys.add(String.valueOf(idempotencyKey));
        startInputs.add(input);
        String name = workflow.contains("@") ? workflow.substring(0, workflow.indexOf('@')) : workflow;
        if (!workflows.containsKey(name)) {
            return CompletableFuture.failedFuture(new EngineException(EngineException.Code.NOT_FOUND,
                    "Expected to start workflow '" + workflow + "', but there is no such workflow"));
        }
        if (input.has("invalid")) {
            return CompletableFuture.failedFuture(new EngineException(EngineException.Code.INPUT_INVALID,
                    "Expected the input of '" + workflow + "' to match its schema, but it does not",
                    List.of(NODES.objectNode().put("path", "/invalid").put("message", "not allowed"))));
        }
        if (idempotencyKey != null && runsByKey.containsKey(workflow + "/" + idempotencyKey)) {
            return CompletableFuture.completedFuture(runs.get(runsByKey.get(workflow + "/" + idempotencyKey)));
        }
        String id = "r-" + ids.incrementAndGet();
        RunView run = new RunView(id, name, workflows.get(name).version(), RunStatus.RUNNING, input, input.deepCopy(),
                null, null, T0, null, null);
        runs.put(id, run);
        if (idempotencyKey != null) {
            runsByKey.put(workflow + "/" + idempotencyKey, id);
        }
        return CompletableFuture.completedFuture(run);
    }

    @Override
    public CompletableFuture<RunView> awaitEnd(String runId, Duration max) {
        awaited.add(max);
        RunView run = runs.get(runId);
        if (run == null) {
            return CompletableFuture.failedFuture(new EngineException(EngineException.Code.NOT_FOUND, "no run " + runId));
        }
        RunStatus status = finishStatus;
        // Answer from another thread, as a real engine does.
        return CompletableFuture.supplyAsync(() -> status == null ? run : end(run, status));
    }

    @Override
    public Optional<RunView> run(String runId) {
        RunView run = runs.get(runId);
        if (run != null && finishOnRead && !run.status().isFinal()) {
            return Optional.of(end(run, RunStatus.SUCCEEDED));
        }
        return Optional.ofNullable(run);
    }

    @Override
    public RunList runs(RunQuery query) {
        queries.add(query);
        List<RunView> matching = new ArrayList<>();
        synchronized (runs) {
            for (RunView run : runs.values()) {
                if ((query.workflow() == null || query.workflow().equals(run.workflow()))
                        && (query.status() == null || query.status() == run.status())) {
                    matching.add(run);
                }
            }
        }
        Collections.reverse(matching);
        boolean more = matching.size() > query.limit();
        return new RunList(matching.subList(0, Math.min(query.limit(), matching.size())), more ? "next-page" : null);
    }

    @Override
    public List<HistoryEvent> history(String runId) {
        List<HistoryEvent> events = histories.get(runId);
        if (events == null) {
            throw new EngineException(EngineException.Code.NOT_FOUND, "Expected a history for run '" + runId + "', but there is no such run");
        }
        return events;
    }

    @Override
    public CompletableFuture<RunView> cancel(String runId) {
        RunView run = runs.get(runId);
        if (run == null) {
            return CompletableFuture.failedFuture(new EngineException(EngineException.Code.NOT_FOUND,
                    "Expected to cancel run '" + runId + "', but there is no such run"));
        }
        if (run.status().isFinal()) {
            return CompletableFuture.failedFuture(new EngineException(EngineException.Code.CONFLICT,
                    "Expected to cancel run '" + runId + "', but it is already " + run.status()));
        }
        return CompletableFuture.completedFuture(end(run, RunStatus.CANCELLED));
    }

    @Override
    public CompletableFuture<EventReceipt> publish(JsonNode cloudEvent) {
        published.add(cloudEvent);
        String id = cloudEvent.get("id").asText();
        boolean duplicate = eventIds.putIfAbsent(id, Boolean.TRUE) != null;
        return CompletableFuture.completedFuture(new EventReceipt(id, duplicate, List.of(), List.of()));
    }

    // triggers, rules and hooks are tested against a real node (NodeRulesTest, TriggersIT)

    @Override
    public List<dev.tributary.engine.node.TriggerInfo> triggers() {
        throw new UnsupportedOperationException("not faked");
    }

    @Override
    public Optional<dev.tributary.engine.node.TriggerInfo> trigger(String name) {
        throw new UnsupportedOperationException("not faked");
    }

    @Override
    public CompletableFuture<EventReceipt> fireTrigger(String name, JsonNode body) {
        throw new UnsupportedOperationException("not faked");
    }

    @Override
    public List<dev.tributary.engine.node.RuleInfo> rules() {
        throw new UnsupportedOperationException("not faked");
    }

    @Override
    public dev.tributary.engine.node.RuleInfo setRuleEnabled(String name, boolean enabled) {
        throw new UnsupportedOperationException("not faked");
    }

    @Override
    public CompletableFuture<dev.tributary.engine.node.HookResponse> hook(dev.tributary.engine.node.HookRequest request) {
        throw new UnsupportedOperationException("not faked");
    }

    @Override
    public CompletableFuture<InvokeOutcome> invoke(String function, JsonNode input) {
        invokeInputs.add(input);
        if (!functions.containsKey(function)) {
            return CompletableFuture.failedFuture(new EngineException(EngineException.Code.NOT_FOUND,
                    "Expected to invoke function '" + function + "', but there is no such function"));
        }
        boolean fails = input.has("fail");
        ObjectNode activation = NODES.objectNode().put("id", "a-1").put("function", function).put("version", 1)
                .put("status", fails ? "error" : "success").put("durationMs", 3);
        if (fails) {
            activation.putObject("error").put("type", "FunctionError").put("message", "asked to fail");
        }
        JsonNode result = fails ? NODES.nullNode() : NODES.objectNode().set("echo", input);
        return CompletableFuture.completedFuture(new InvokeOutcome(activation, result));
    }

    @Override
    public ActivationPage activations(ActivationQuery query) {
        activationQueries.add(query);
        if (query.cursor() != null && !query.cursor().equals("next-page")) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, "Expected a cursor returned with a previous page of "
                    + "activations, but got '" + query.cursor() + "'");
        }
        List<Activation> matching = new ArrayList<>();
        synchronized (activations) {
            for (Activation a : activations.values()) {
                if ((query.function() == null || query.function().equals(a.function()))
                        && (query.runId() == null || query.runId().equals(a.runId()))
                        && (query.status() == null || query.status() == a.status())) {
                    matching.add(a);
                }
            }
        }
        Collections.reverse(matching);
        boolean more = matching.size() > query.limit();
        return new ActivationPage(matching.subList(0, Math.min(query.limit(), matching.size())), more ? "next-page" : null);
    }

    @Override
    public Optional<Activation> activation(String id) {
        return Optional.ofNullable(activations.get(id));
    }

    /** Sums the activations added, whatever their start; a missing {@code to} is T0 + 1 day, a missing {@code from} T0. */
    @Override
    public UsageReport usage(Instant from, Instant to) {
        usageRanges.add(java.util.Arrays.asList(from, to));
        Map<String, ActivationTotals> byFunction = new java.util.TreeMap<>();
        synchronized (activations) {
            for (Activation a : activations.values()) {
                byFunction.merge(a.function(), new ActivationTotals(1, a.gbSeconds(), a.cost()), ActivationTotals::plus);
            }
        }
        List<Usage.FunctionUsage> functionUsage = byFunction.entrySet().stream()
                .map(e -> new Usage.FunctionUsage(e.getKey(), e.getValue())).toList();
        return new UsageReport(from == null ? T0 : from, to == null ? T0.plusSeconds(86_400) : to, 0.0000166667,
                Usage.of(functionUsage));
    }

    @Override
    public ActivationTotals runCost(String runId) {
        ActivationTotals total = ActivationTotals.ZERO;
        synchronized (activations) {
            for (Activation a : activations.values()) {
                if (runId.equals(a.runId())) {
                    total = total.plus(new ActivationTotals(1, a.gbSeconds(), a.cost()));
                }
            }
        }
        return total;
    }

    @Override
    public Health health() {
        if (crash != null) {
            throw crash;
        }
        return new Health("UP", "node-1", List.of("node-1"));
    }

    @Override
    public void putSecret(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, "Expected a value for secret '" + name + "', but it is empty");
        }
        secretValues.put(name, value);
    }

    @Override
    public List<SecretInfo> secrets() {
        return secretValues.keySet().stream().map(name -> new SecretInfo(name, T0)).toList();
    }

    @Override
    public boolean deleteSecret(String name) {
        return secretValues.remove(name) != null;
    }

    /** Table routes are tested against a real node (ApiTableRoutesTest): their work is the store's. */
    @Override
    public TableStore tables() {
        throw new EngineException(EngineException.Code.UNAVAILABLE, "The fake engine keeps no tables");
    }

    // --- queues and streams: kept in memory, with the stores' checks --------------------------

    @Override
    public String sendMessage(String queue, JsonNode message) {
        checked("queue", queue);
        if (message.toString().length() > QueueStore.MAX_MESSAGE_BYTES) {
            throw new EngineException(EngineException.Code.LIMIT_EXCEEDED, "A message for queue '" + queue + "' is over the limit");
        }
        sentMessages.computeIfAbsent(queue, q -> new CopyOnWriteArrayList<>()).add(message);
        return "m-" + ids.incrementAndGet();
    }

    @Override
    public QueueStats queueStats(String queue) {
        checked("queue", queue);
        return new QueueStats(queue, sentMessages.getOrDefault(queue, List.of()).size(), 0, 0, 0);
    }

    @Override
    public synchronized StreamStore.Appended putRecord(String stream, String partitionKey, JsonNode data) {
        checked("stream", stream);
        if (partitionKey == null || partitionKey.isEmpty()) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, "Expected a partition key, but got none");
        }
        int shard = StreamStore.shardOf(partitionKey);
        putRecords.computeIfAbsent(stream, s -> new CopyOnWriteArrayList<>()).add(data);
        long sequence = shardSequences.computeIfAbsent(stream, s -> new long[StreamStore.SHARDS])[shard] += 1;
        return new StreamStore.Appended(sequence, shard);
    }

    @Override
    public List<StreamStore.ShardInfo> streamShards(String stream) {
        checked("stream", stream);
        long[] latest = shardSequences.getOrDefault(stream, new long[StreamStore.SHARDS]);
        List<StreamStore.ShardInfo> shards = new ArrayList<>();
        for (int shard = 0; shard < StreamStore.SHARDS; shard++) {
            shards.add(new StreamStore.ShardInfo(shard, latest[shard]));
        }
        return shards;
    }

    private static void checked(String what, String name) {
        try {
            ConnectorNames.check(what, name);
        } catch (IllegalArgumentException e) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, e.getMessage());
        }
    }

    private RunView end(RunView run, RunStatus status) {
        RunView ended = new RunView(run.id(), run.workflow(), run.version(), status, run.input(), run.data(),
                status == RunStatus.SUCCEEDED ? NODES.objectNode().set("echo", run.input()) : null,
                status == RunStatus.FAILED ? NODES.objectNode().put("type", "Boom").put("message", "it broke") : null,
                run.startedAt(), T0.plusSeconds(1), run.parentRunId());
        runs.put(run.id(), ended);
        return ended;
    }
}
