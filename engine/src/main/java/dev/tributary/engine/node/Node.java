package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.EventPublisher;
import dev.tributary.connectors.Delivery;
import dev.tributary.connectors.EventSink;
import dev.tributary.connectors.PayloadTooLargeException;
import dev.tributary.connectors.queue.QueueStats;
import dev.tributary.connectors.stream.StreamStore;
import dev.tributary.connectors.table.TableStore;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.TriggerDef;
import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.core.Interpreter;
import dev.tributary.engine.core.InterpreterLimits;
import dev.tributary.engine.core.RunState;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.core.Signal;
import dev.tributary.engine.store.ActivationPage;
import dev.tributary.engine.store.ActivationQuery;
import dev.tributary.engine.store.ActivationStore;
import dev.tributary.engine.store.ActivationTotals;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.engine.store.RunPage;
import dev.tributary.engine.store.RunQuery;
import dev.tributary.engine.store.RunRecord;
import dev.tributary.engine.store.RunStore;
import dev.tributary.engine.store.SecretInfo;
import dev.tributary.functions.Activation;
import dev.tributary.functions.FunctionInvoker;
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
    private final RunWatchers watchers;
    private final RunDriver driver;
    private final RunStarts starts;
    private final EngineEvents engineEvents;
    private final Hooks hooks;
    private volatile RuleBook ruleBook = RuleBook.EMPTY;
    /** Null on a node over a store that is not JDBC (some tests): no trigger sources run there. */
    private final TriggerSources sources;
    private volatile boolean sourcesStarted;
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
    private final NodeSecrets secrets;
    private final EngineTables tables;

    private Node(NodeConfig config, RunStore store, ActivationStore activationStore, FunctionInvoker functions,
                 AutoCloseable runtimes, NodeSecrets secrets) {
        this.config = config;
        this.secrets = secrets;
        this.runtimes = runtimes;
        this.store = store;
        this.clock = config.clock();
        this.runIds = new RunIds(clock);
        this.recorder = new ActivationRecorder(activationStore, metrics.registry());
        this.activationReports = new ActivationReports(activationStore, clock, config.functions().metering());
        this.engineEvents = new EngineEvents(() -> ruleBook, this::publishEngineEvent, clock);
        ActivationSink activations = activation -> {
            recorder.record(activation);
            engineEvents.activationEnded(activation);
        };
        this.watchers = new RunWatchers(engineEvents::runEnded);
        this.definitions = new Definitions(store, clock);
        this.pool = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
                NamedThreads.daemon("tributary-dispatch"));
        this.waits = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("tributary-await"));
        Interpreter interpreter = new Interpreter(InterpreterLimits.DEFAULTS, secrets);
        // The driver tells the dispatcher of each durable transition; the dispatcher answers the driver.
        this.driver = new RunDriver(store, interpreter, definitions, metrics, config.shards(), CACHED_RUNS_PER_SHARD,
                new InlineCalls(definitions, functions, runIds, interpreter, clock), committed -> dispatcher().committed(committed));
        NodeParts parts = new NodeParts(store, clock, definitions, driver, functions, schemas, watchers, metrics, activations, runIds);
        this.starts = new RunStarts(parts);
        this.timers = new TimerService(parts, config.timerHorizon(), config.timerMode());
        this.router = new EventRouter(parts, pool, () -> ruleBook, new RuleFirings(parts, starts));
        this.dispatcher = new Dispatcher(parts, timers, router, pool);
        this.sources = store instanceof JdbcRunStore jdbc ? new TriggerSources(jdbc, definitions, sink(), acceptingSink(), clock,
                config.timerMode() == TimerService.Mode.AUTOMATIC ? config.nodeId() : null) : null;
        this.hooks = new Hooks(() -> ruleBook, router::publish, this::awaitEnd, secrets, clock);
        this.invocations = new DirectInvocations(definitions, functions, recorder, runIds, engineEvents::activationEnded);
        this.tables = new EngineTables(store.tables());
    }

    /** Opens the store of {@code config}, loads the deployed definitions and recovers unfinished work. */
    public static Node start(NodeConfig config) {
        JdbcRunStore store = NodeStore.open(config);
        NodeFunctions functions;
        NodeSecrets secrets;
        // event.emit publishes through the node, which needs the functions first (recovery may call it before start returns)
        CompletableFuture<Node> started = new CompletableFuture<>();
        EventPublisher events = event -> started.thenCompose(node -> node.publish(event)).thenApply(EventReceipt::id);
        try {
            secrets = NodeSecrets.open(config, store.secrets());
            // queue.send and stream.put wake this node's consumers of what they wrote to
            ConnectorFunctions.Written written = new ConnectorFunctions.Written(
                    queue -> started.thenAccept(node -> node.queueSent(queue)),
                    stream -> started.thenAccept(node -> node.recordPut(stream)));
            functions = NodeFunctions.start(config, store.code(), ConnectorFunctions.of(store, config, events, written), secrets);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        Node node = start(config, store, store.activations(), functions.invoker(), functions, secrets);
        started.complete(node);
        return node;
    }

    /** For tests: a node over given stores and functions. The node closes the run store (which closes the activation store). */
    static Node start(NodeConfig config, RunStore store, ActivationStore activations, FunctionInvoker functions) {
        return start(config, store, activations, functions, () -> { }, NodeSecrets.open(config, store.secrets()));
    }

    /** @param runtimes closed with the node, after the work in flight has been given its chance to finish */
    private static Node start(NodeConfig config, RunStore store, ActivationStore activations, FunctionInvoker functions,
                              AutoCloseable runtimes, NodeSecrets secrets) {
        Node node = new Node(config, store, activations, functions, runtimes, secrets);
        try {
            node.definitions.loadLatest();
            node.definitionsChanged();
            new Recovery(store, node.dispatcher, node.timers, node.router).run();
            node.sourcesStarted = true; // after recovery: what was accepted before the stop is routed first
            node.definitionsChanged();
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

    /** Manual timer mode: routes the events a failure left unrouted for longer than the sweep interval, by the clock. */
    public void sweepUnrouted() {
        router.sweepStale();
    }

    /** Manual timer mode: fires the timers due at the clock's now; returns how many fired. */
    public int runDue() {
        return timers.runDue();
    }

    // ---- definitions

    @Override
    public List<Deployed> deploy(List<SourceText> files, List<CodeUpload> code) {
        List<Deployed> deployed = definitions.deploy(files, code);
        definitionsChanged();
        return deployed;
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
        boolean deleted = definitions.delete(Kind.WORKFLOW, name);
        definitionsChanged();
        return deleted;
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
        return async(() -> starts.start(workflow, input, idempotencyKey));
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
        return async(() -> router.publish(cloudEvent).started());
    }

    /** Where this node's trigger sources hand their events: answered once every rule the event fired was served. */
    EventSink sink() {
        return event -> async(() -> router.publish(event).delivered());
    }

    /** A sink answered once the event is durable and its rules started, not served (for schedules). */
    private EventSink acceptingSink() {
        return event -> async(() -> router.publish(event).started())
                .thenApply(receipt -> new Delivery(receipt.id(), receipt.duplicate(), List.of()));
    }

    private void publishEngineEvent(ObjectNode event) {
        publish(event).exceptionally(e -> {
            LOG.warn("Could not publish engine event '{}': {}", event.path("id").asText(), e.toString());
            return null;
        });
    }

    /** The rules and trigger sources follow the definitions: called after every change to them. */
    private synchronized void definitionsChanged() {
        ruleBook = RuleBook.of(definitions);
        if (sources != null && sourcesStarted) {
            sources.sync(ruleBook);
        }
    }

    @Override
    public List<TriggerInfo> triggers() {
        RuleBook book = ruleBook;
        return book.triggers().stream().map(t -> triggerInfo(book, t, false)).toList();
    }

    @Override
    public Optional<TriggerInfo> trigger(String name) {
        RuleBook book = ruleBook;
        return book.trigger(name).map(t -> triggerInfo(book, t, true));
    }

    private TriggerInfo triggerInfo(RuleBook book, TriggerDef trigger, boolean withFirings) {
        Definitions.Deployed deployed = definitions.latest(Kind.TRIGGER, trigger.name()).orElseThrow();
        return new TriggerInfo(trigger.name(), deployed.version(), trigger.source().kind(), trigger.description(),
                Json.parse(deployed.record().document()), deployed.record().deployedAt(),
                NextFires.of(trigger.source(), clock.instant(), 3),
                book.rulesOf(trigger.name()).stream().map(RuleBook.Rule::name).toList(),
                withFirings ? store.lastFirings(trigger.name(), 10) : List.of());
    }

    @Override
    public CompletableFuture<EventReceipt> fireTrigger(String name, JsonNode body) {
        return async(() -> {
            TriggerDef trigger = ruleBook.trigger(name).orElseThrow(() -> new EngineException(EngineException.Code.NOT_FOUND,
                    "There is no trigger '" + name + "'"));
            return router.publish(ManualFirings.event(trigger, body, clock.instant())).started();
        });
    }

    @Override
    public List<RuleInfo> rules() {
        return ruleBook.rules().stream().map(this::ruleInfo).toList();
    }

    @Override
    public RuleInfo setRuleEnabled(String name, boolean enabled) {
        RuleBook.Rule rule = ruleBook.rule(name).orElseThrow(() -> new EngineException(EngineException.Code.NOT_FOUND,
                "There is no rule '" + name + "'"));
        if (rule.shorthand()) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, "Rule '" + name + "' is an 'on:' entry of workflow '"
                    + rule.target().ref().name() + "': change the workflow to change it");
        }
        definitions.setRuleEnabled(name, enabled);
        definitionsChanged();
        return ruleInfo(ruleBook.rule(name).orElseThrow());
    }

    private RuleInfo ruleInfo(RuleBook.Rule rule) {
        int version = rule.shorthand() ? 0 : definitions.latest(Kind.RULE, rule.name()).map(Definitions.Deployed::version).orElse(0);
        return new RuleInfo(rule.name(), version, rule.trigger(), rule.target().kindKey(), rule.target().ref().toString(),
                rule.condition() == null ? null : rule.condition().source(), rule.enabled(),
                rule.shorthand() ? rule.target().ref().name() : null);
    }

    @Override
    public CompletableFuture<HookResponse> hook(HookRequest request) {
        return async(() -> hooks.handle(request));
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
        String id = connectorCall(() -> store.queues().send(queue, message));
        queueSent(queue);
        return id;
    }

    private void queueSent(String queue) {
        if (sources != null) {
            sources.queueSent(queue);
        }
    }

    private void recordPut(String stream) {
        if (sources != null) {
            sources.recordPut(stream);
        }
    }

    @Override
    public QueueStats queueStats(String queue) {
        return connectorCall(() -> store.queues().stats(queue, clock.instant()));
    }

    @Override
    public StreamStore.Appended putRecord(String stream, String partitionKey, JsonNode data) {
        StreamStore.Appended appended = connectorCall(() -> store.streams().put(stream, partitionKey, data));
        recordPut(stream);
        return appended;
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

    // ---- secrets

    @Override
    public void putSecret(String name, String value) {
        secrets.put(name, value);
    }

    @Override
    public List<SecretInfo> secrets() {
        return secrets.list();
    }

    @Override
    public boolean deleteSecret(String name) {
        return secrets.delete(name);
    }

    @Override
    public Health health() {
        return new Health("UP", config.nodeId(), List.of(config.nodeId()));
    }

    @Override
    public TableStore tables() {
        return tables;
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
        if (sources != null) {
            sources.close(); // no new events while the rest stops
        }
        timers.close();
        router.close();
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
