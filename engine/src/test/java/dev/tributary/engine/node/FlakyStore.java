package dev.tributary.engine.node;

import dev.tributary.connectors.queue.QueueStore;
import dev.tributary.connectors.stream.StreamStore;
import dev.tributary.connectors.table.TableStore;
import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.store.CodeStore;
import dev.tributary.engine.store.DefinitionRecord;
import dev.tributary.engine.store.InboxEvent;
import dev.tributary.engine.store.RunCommit;
import dev.tributary.engine.store.RunPage;
import dev.tributary.engine.store.RunQuery;
import dev.tributary.engine.store.RunRecord;
import dev.tributary.engine.store.RuleFiring;
import dev.tributary.engine.store.RunStore;
import dev.tributary.engine.store.SecretStore;
import dev.tributary.engine.store.Task;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store whose every {@code n}th commit fails: either before it is written ({@link Mode#LOST})
 * or after (the commit is durable but its caller hears a failure, {@link Mode#AMBIGUOUS}).
 */
final class FlakyStore implements RunStore {

    enum Mode { LOST, AMBIGUOUS }

    private final RunStore store;
    private final int every;
    private final Mode mode;
    private final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    /** While set, recording what an event fired (and marking it routed) fails. */
    volatile boolean routingFails;

    FlakyStore(RunStore store, int every, Mode mode) {
        this.store = store;
        this.every = every;
        this.mode = mode;
    }

    @Override
    public CompletableFuture<Void> commit(RunCommit commit) {
        if (commits.incrementAndGet() % every != 0) {
            return store.commit(commit);
        }
        failed.incrementAndGet();
        IllegalStateException failure = new IllegalStateException("injected commit failure");
        if (mode == Mode.LOST) {
            return CompletableFuture.failedFuture(failure);
        }
        return store.commit(commit).thenCompose(v -> CompletableFuture.failedFuture(failure));
    }

    @Override
    public List<DefinitionRecord> deploy(List<DefinitionRecord.Draft> documents) {
        return store.deploy(documents);
    }

    @Override
    public CodeStore code() {
        return store.code();
    }

    @Override
    public SecretStore secrets() {
        return store.secrets();
    }

    public TableStore tables() {
        return store.tables();
    }

    @Override
    public QueueStore queues() {
        return store.queues();
    }

    @Override
    public StreamStore streams() {
        return store.streams();
    }

    @Override
    public Optional<DefinitionRecord> definition(Kind kind, String name, int version) {
        return store.definition(kind, name, version);
    }

    @Override
    public List<DefinitionRecord> latestDefinitions() {
        return store.latestDefinitions();
    }

    @Override
    public List<DefinitionRecord> versions(Kind kind, String name) {
        return store.versions(kind, name);
    }

    @Override
    public boolean delete(Kind kind, String name) {
        return store.delete(kind, name);
    }

    @Override
    public Optional<RunRecord> run(String id) {
        return store.run(id);
    }

    @Override
    public Optional<RunRecord> runByIdempotencyKey(String workflow, String idempotencyKey) {
        return store.runByIdempotencyKey(workflow, idempotencyKey);
    }

    @Override
    public RunPage runs(RunQuery query) {
        return store.runs(query);
    }

    @Override
    public List<HistoryEvent> history(String runId, long afterSeq, int limit) {
        return store.history(runId, afterSeq, limit);
    }

    @Override
    public List<Task> dispatchableTasks() {
        return store.dispatchableTasks();
    }

    @Override
    public List<Task> timersDueBefore(Instant before, int limit) {
        return store.timersDueBefore(before, limit);
    }

    @Override
    public List<Task> waitsFor(String type, String subject) {
        return store.waitsFor(type, subject);
    }

    @Override
    public void deleteTask(String runId, String taskId) {
        store.deleteTask(runId, taskId);
    }

    @Override
    public CompletableFuture<Boolean> acceptEvent(InboxEvent event) {
        return store.acceptEvent(event);
    }

    @Override
    public CompletableFuture<Void> recordRouting(String eventId, List<RuleFiring> firings, boolean routed) {
        return routingFails ? CompletableFuture.failedFuture(new IllegalStateException("injected routing failure"))
                : store.recordRouting(eventId, firings, routed);
    }

    @Override
    public List<RuleFiring> firings(String eventId) {
        return store.firings(eventId);
    }

    @Override
    public List<RuleFiring> lastFirings(String trigger, int limit) {
        return store.lastFirings(trigger, limit);
    }

    @Override
    public List<InboxEvent> unroutedEvents(Instant receivedBefore, int limit) {
        return store.unroutedEvents(receivedBefore, limit);
    }

    @Override
    public Optional<InboxEvent> event(String id) {
        return store.event(id);
    }

    @Override
    public void close() {
        store.close();
    }
}
