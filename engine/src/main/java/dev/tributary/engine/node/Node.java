package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.EventPublisher;
import dev.tributary.connectors.PayloadTooLargeException;
import dev.tributary.connectors.queue.QueueStats;
import dev.tributary.connectors.stream.StreamStore;
import dev.tributary.dsl.expr.SecretResolver;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.model.Ref;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.core.Interpreter;
import dev.tributary.engine.core.InterpreterLimits;
import dev.tributary.engine.core.RunId;
import dev.tributary.engine.core.RunState;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.core.Signal;
import dev.tributary.engine.core.WorkflowPlan;
import dev.tributary.engine.store.ActivationPage;
import dev.tributary.engine.store.ActivationQuery;
import dev.tributary.engine.store.ActivationStore;
import dev.tributary.engine.store.ActivationTotals;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.engine.store.RunPage;
import dev.tributary.engine.store.RunQuery;
import dev.tributary.engine.store.RunRecord;
import dev.tributary.engine.store.RunStore;
import dev.tributary.functions.Activation;
import dev.tributary.functions.ExprRuntime;
import dev.tributary.functions.FunctionInvoker;
import dev.tributary.functions.Functions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.function.Supplier;

/**
 * One Tributary node: the store, the functions, the run driver, timers, the event router and
 * recovery, wired together behind the {@link Engine} the HTTP API calls. Methods returning a
 * future never block their caller (store reads happen on the node's own threads).
 */
public final class Node implements Engine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    /** SPEC §4: a run's input. */
    static final int MAX_INPUT_BYTES = 1 << 20;
    private static final int CACHED_RUNS_PER_SHARD = 10_000;
    private static final int HISTORY_PAGE = 1_000;

    private final NodeConfig config;
    private final RunStore store;
    private final Clock clock;
    private final EngineMetrics metrics = new EngineMetrics();
    private final Definitions definitions;
    private final InputSchemas schemas = new InputSchemas();
    private final RunWatchers watchers = new RunWatchers();
    private final RunDriver driver;
    private final TimerService timers;
    private final EventRouter router;
    private final Dispatcher dispatcher;
    private final DirectInvocations invocations;
    private final ActivationRecorder recorder;
    private final ActivationReports activationReports;
    private final ExecutorService pool;
    private final ScheduledExecutorService waits;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RunIds runIds;
    private final AutoCloseable runtimes;

    private Node(NodeConfig config, RunStore store, ActivationStore activationStore, FunctionInvoker functions,
                 AutoCloseable runtimes) {
        this.config = config;
        this.runtimes = runtimes;
        this.store = store;
        this.clock = config.clock();
        this.runIds = new RunIds(clock);
        this.recorder = new ActivationRecorder(activationStore, metrics.registry());
        this.activationReports = new ActivationReports(activationStore, clock, config.functions().metering());
        ActivationSink activations = recorder;
        this.definitions = new Definitions(store, clock);
        this.pool = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
                NamedThreads.daemon("tributary-dispatch"));
        this.waits = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("tributary-await"));
        Interpreter interpreter = new Interpreter(InterpreterLimits.DEFAULTS, SecretResolver.NONE);
        // The driver tells the dispatcher of each durable transition; the dispatcher answers the driver.
        this.driver = new RunDriver(store, interpreter, definitions, metrics, config.shards(), CACHED_RUNS_PER_SHARD,
                new InlineCalls(definitions, functions, runIds, interpreter, clock), committed -> dispatcher().committed(committed));
        NodeParts parts = new NodeParts(store, clock, definitions, driver, functions, schemas, watchers, metrics, activations, runIds);
        this.timers = new TimerService(parts, config.timerHorizon(), config.timerMode());
        this.router = new EventRouter(parts, pool);
        this.dispatcher = new Dispatcher(parts, timers, router, pool);
        this.invocations = new DirectInvocations(definitions, functions, recorder, runIds);
    }

    /** Opens the store of {@code config}, loads the deployed definitions and recovers unfinished work. */
    public static Node start(NodeConfig config) {
        JdbcRunStore store = NodeStore.open(config);
        NodeFunctions functions;
        // event.emit publishes through the node, which needs the functions first (recovery may call it before start returns)
        CompletableFuture<Node> started = new CompletableFuture<>();
        EventPublisher events = event -> started.thenCompose(node -> node.publish(event)).thenApply(EventReceipt::id);
        try {
            functions = NodeFunctions.start(config, store.code(), ConnectorFunctions.of(store, config, events));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        Node node = start(config, store, store.activations(), functions.invoker(), functions);
        started.complete(node);
        return node;
    }

    /** For tests: a node over given stores and functions. The node closes the run store (which closes the activation store). */
    static Node start(NodeConfig config, RunStore store, ActivationStore activations, FunctionInvoker functions) {
        return start(config, store, activations, functions, () -> { });
    }

    /** @param runtimes closed with the node, after the work in flight has been given its chance to finish */
    private static Node start(NodeConfig config, RunStore store, ActivationStore activations, FunctionInvoker functions,
                              AutoCloseable runtimes) {
        Node node = new Node(config, store, activations, functions, runtimes);
        try {
            node.definitions.loadLatest();
            new Recovery(store, node.dispatcher, node.timers, node.router).run();
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private Dispatcher dispatcher() {
        return dispatcher;
    }

    public NodeConfig config() {
        return config;
    }

    public EngineMetrics metrics() {
        return metrics;
    }

    /** Manual timer mode: fires the timers due at the clock's now; returns how many fired. */
    public int runDue() {
        return timers.runDue();
    }

    // ---- definitions

    @Override
    public List<Deployed> deploy(List<SourceText> files, List<CodeUpload> code) {
        return definitions.deploy(files, code);
    }

    @Override
    public List<WorkflowInfo> workflows() {
        return definitions.latest(Kind.WORKFLOW).stream().map(this::workflowInfo).toList();
    }

    @Override
    public Optional<WorkflowInfo> workflow(String name) {
        return definitions.latest(Kind.WORKFLOW, name).map(this::workflowInfo);
    }

    @Override
    public boolean deleteWorkflow(String name) {
        return definitions.delete(Kind.WORKFLOW, name);
    }

    @Override
    public List<FunctionInfo> functions() {
        return definitions.latest(Kind.FUNCTION).stream().map(this::functionInfo).toList();
    }

    @Override
    public Optional<FunctionInfo> function(String name) {
        return definitions.latest(Kind.FUNCTION, name).map(this::functionInfo);
    }

    private WorkflowInfo workflowInfo(Definitions.Deployed d) {
        return new WorkflowInfo(d.record().name(), d.version(), d.definition().description(), Json.parse(d.record().document()),
                definitions.versionNumbers(Kind.WORKFLOW, d.record().name()), d.record().deployedAt());
    }

    private FunctionInfo functionInfo(Definitions.Deployed d) {
        FunctionDef function = (FunctionDef) d.definition();
        return new FunctionInfo(function.name(), d.version(), function.runtime().key(), function.description(),
                Json.parse(d.record().document()), definitions.versionNumbers(Kind.FUNCTION, function.name()),
                d.record().deployedAt());
    }

    // ---- runs

    @Override
    public CompletableFuture<RunView> startRun(String workflow, JsonNode input, String idempotencyKey) {
        return async(() -> {
            Ref ref = parseRef(workflow);
            WorkflowPlan plan = planToStart(ref);
            if (idempotencyKey != null) {
                Optional<RunRecord> existing = store.runByIdempotencyKey(plan.name(), idempotencyKey);
                if (existing.isPresent()) {
                    return CompletableFuture.completedFuture(RunViews.of(existing.get()));
                }
            }
            JsonNode in = input == null || input.isMissingNode() ? Json.object() : input;
            int bytes = Json.bytes(in);
            if (bytes > MAX_INPUT_BYTES) {
                throw new EngineException(EngineException.Code.LIMIT_EXCEEDED, "The input of a run of workflow '" + plan.name()
                        + "' is " + bytes + " bytes, over the limit 'run input' of " + MAX_INPUT_BYTES + " bytes");
            }
            schemas.check(plan, in);
            String id = runIds.next();
            Signal.Start start = new Signal.Start(new RunId(id, plan.name(), plan.version()), in, null, null, clock.instant());
            return driver.start(new RunDriver.StartRun(plan, start, idempotencyKey)).thenApply(RunViews::of);
        });
    }

    private WorkflowPlan planToStart(Ref ref) {
        if (definitions.latest(Kind.WORKFLOW, ref.name()).isEmpty()) {
            throw new EngineException(EngineException.Code.NOT_FOUND, "There is no workflow '" + ref.name() + "'");
        }
        return definitions.plan(ref.name(), ref.version()).orElseThrow(() -> new EngineException(EngineException.Code.NOT_FOUND,
                "Workflow '" + ref.name() + "' has no version " + ref.version()));
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

    @Override
    public CompletableFuture<RunView> awaitEnd(String runId, Duration max) {
        return async(() -> {
            existing(runId);
            CompletableFuture<RunView> ended = watchers.watch(runId);
            RunView now = RunViews.of(existing(runId));
            if (now.status().isFinal()) {
                watchers.forget(runId, ended);
                return CompletableFuture.completedFuture(now);
            }
            waits.schedule(() -> pool.execute(() -> {
                watchers.forget(runId, ended);
                store.run(runId).map(RunViews::of).ifPresent(ended::complete);
            }), max.toMillis(), TimeUnit.MILLISECONDS);
            return ended;
        });
    }

    @Override
    public Optional<RunView> run(String runId) {
        return store.run(runId).map(RunViews::of);
    }

    @Override
    public RunList runs(RunQuery query) {
        RunPage page;
        try {
            page = store.runs(query);
        } catch (IllegalArgumentException e) { // a cursor this node did not hand out
            throw new EngineException(EngineException.Code.BAD_REQUEST, e.getMessage());
        }
        return new RunList(page.runs().stream().map(RunViews::of).toList(), page.cursor());
    }

    @Override
    public List<HistoryEvent> history(String runId) {
        existing(runId);
        List<HistoryEvent> events = new ArrayList<>();
        List<HistoryEvent> page;
        do {
            page = store.history(runId, events.isEmpty() ? 0 : events.get(events.size() - 1).seq(), HISTORY_PAGE);
            events.addAll(page);
        } while (page.size() == HISTORY_PAGE);
        return events;
    }

    @Override
    public CompletableFuture<RunView> cancel(String runId) {
        return async(() -> {
            RunState before = RunViews.state(existing(runId));
            if (before.status().isFinal()) {
                throw alreadyEnded(before);
            }
            return driver.signal(runId, new Signal.Cancel("cancelled by request", clock.instant())).thenApply(after -> {
                if (after.status() != RunStatus.CANCELLED && after.status().isFinal()) {
                    throw alreadyEnded(after);
                }
                return RunViews.of(after);
            });
        });
    }

    private static EngineException alreadyEnded(RunState run) {
        return new EngineException(EngineException.Code.CONFLICT, "Expected to cancel run '" + run.id()
                + "', but it has already ended: " + run.status());
    }

    private RunRecord existing(String runId) {
        return store.run(runId).orElseThrow(() -> new EngineException(EngineException.Code.NOT_FOUND, "There is no run '" + runId + "'"));
    }

    // ---- events and functions

    @Override
    public CompletableFuture<EventReceipt> publish(JsonNode cloudEvent) {
        return async(() -> router.publish(cloudEvent));
    }

    @Override
    public CompletableFuture<InvokeOutcome> invoke(String function, JsonNode input) {
        return async(() -> invocations.invoke(function, input));
    }

    @Override
    public ActivationPage activations(ActivationQuery query) {
        return activationReports.activations(query);
    }

    @Override
    public Optional<Activation> activation(String id) {
        return activationReports.activation(id);
    }

    @Override
    public UsageReport usage(Instant from, Instant to) {
        return activationReports.usage(from, to);
    }

    @Override
    public ActivationTotals runCost(String runId) {
        return activationReports.runCost(runId);
    }

    // ---- built-in queues and streams

    @Override
    public String sendMessage(String queue, JsonNode message) {
        return connectorCall(() -> store.queues().send(queue, message));
    }

    @Override
    public QueueStats queueStats(String queue) {
        return connectorCall(() -> store.queues().stats(queue, clock.instant()));
    }

    @Override
    public StreamStore.Appended putRecord(String stream, String partitionKey, JsonNode data) {
        return connectorCall(() -> store.streams().put(stream, partitionKey, data));
    }

    @Override
    public List<StreamStore.ShardInfo> streamShards(String stream) {
        return connectorCall(() -> store.streams().shards(stream));
    }

    /** The stores refuse bad names and sizes with exceptions; the API answers them as 413 and 400. */
    private static <T> T connectorCall(Supplier<T> call) {
        try {
            return call.get();
        } catch (PayloadTooLargeException e) {
            throw new EngineException(EngineException.Code.LIMIT_EXCEEDED, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, e.getMessage());
        }
    }

    @Override
    public Health health() {
        return new Health("UP", config.nodeId(), List.of(config.nodeId()));
    }

    /**
     * Runs {@code body} on the node's pool, so the caller (an event loop) never waits on the store,
     * and hands its failures out as they are: an {@link EngineException}, not wrapped.
     */
    private <T> CompletableFuture<T> async(Supplier<CompletableFuture<T>> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    body.get().whenComplete((value, error) -> {
                        if (error != null) {
                            result.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                                    ? error.getCause() : error);
                        } else {
                            result.complete(value);
                        }
                    });
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new EngineException(EngineException.Code.UNAVAILABLE, "The node is shutting down"));
        }
        return result;
    }

    /** Stops timers and runs, then the store; work in flight is recovered by the next start. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timers.close();
        waits.shutdownNow();
        driver.close();
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
        try {
            runtimes.close(); // stops the worker processes; activations they abandon are still recorded
        } catch (Exception e) {
            LOG.warn("Could not stop the function runtimes cleanly: {}", e.toString());
        }
        recorder.close(); // writes the activations still queued
        store.close();
    }
}
