package dev.tributary.engine.store;

import dev.tributary.connectors.queue.QueueStore;
import dev.tributary.connectors.stream.StreamStore;
import dev.tributary.connectors.table.TableStore;
import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.HistoryEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The durable state of a node: deployed definitions and their function code, runs with their
 * history, the tasks runs wait on (the outbox), and the event inbox. Every method is safe to call
 * from many threads; every method may block on the database (never call it from an event loop).
 *
 * <p>{@link #commit} is the one way a run changes: the run row (compare-and-set on its version),
 * its new history events, the tasks it starts and the tasks it finishes, in one transaction.
 * Concurrent commits are grouped into one database transaction (group commit); each commit's
 * future completes only once its transaction is durable.
 */
public interface RunStore extends AutoCloseable {

    // ---- definitions

    /**
     * Stores a deploy set atomically. A document equal (as JSON) to the newest version of the
     * same kind and name keeps that version; a changed or new one gets version N+1; a deleted
     * name starts again after its highest version.
     */
    List<DefinitionRecord> deploy(List<DefinitionRecord.Draft> documents);

    /** One version of a definition; {@code version} 0 means the newest that is not deleted. */
    Optional<DefinitionRecord> definition(Kind kind, String name, int version);

    /** The newest version of every definition that is not deleted, in deploy order. */
    List<DefinitionRecord> latestDefinitions();

    /** Every version of one definition, oldest first (deleted ones included). */
    List<DefinitionRecord> versions(Kind kind, String name);

    /** Marks every version deleted (runs in flight keep theirs); false when there is no such definition. */
    boolean delete(Kind kind, String name);

    /** The function code deployed with the definitions, by digest; on the same database. */
    CodeStore code();

    /** The secrets, sealed; on the same database. */
    SecretStore secrets();

    /** The items of the built-in table connector (SPEC §6); on the same database. */
    TableStore tables();

    /** The built-in durable queues (SPEC §3), on the same database. */
    QueueStore queues();

    /** The built-in partitioned streams (SPEC §3), on the same database. */
    StreamStore streams();

    // ---- runs

    /**
     * Commits one transition. Completes exceptionally with {@link ConcurrentUpdateException} when
     * the run's version is not {@code expectedVersion} (or, for a new run, the id exists), and with
     * {@link DuplicateRunException} when a new run's idempotency key is taken.
     */
    CompletableFuture<Void> commit(RunCommit commit);

    Optional<RunRecord> run(String id);

    /** The run started with this idempotency key for this workflow, if any. */
    Optional<RunRecord> runByIdempotencyKey(String workflow, String idempotencyKey);

    /** Runs newest first, filtered; {@link RunQuery#cursor()} continues a previous page. */
    RunPage runs(RunQuery query);

    /** History events with seq greater than {@code afterSeq}, in order, at most {@code limit}. */
    List<HistoryEvent> history(String runId, long afterSeq, int limit);

    // ---- tasks

    /** Tasks to (re)dispatch on start-up: every task that is neither a timer nor an event wait. */
    List<Task> dispatchableTasks();

    /** Timer tasks due before {@code before}, earliest first, at most {@code limit}. */
    List<Task> timersDueBefore(Instant before, int limit);

    /** Event waits registered for this type and subject (an index lookup, not a scan). */
    List<Task> waitsFor(String type, String subject);

    /** Deletes a task whose work is done outside a run transition (an emitted event, a parent told). */
    void deleteTask(String runId, String taskId);

    // ---- event inbox

    /**
     * Stores an accepted event durably. Completes with false (and stores nothing) when an event
     * with the same id was accepted before.
     */
    CompletableFuture<Boolean> acceptEvent(InboxEvent event);

    /**
     * Records what an event fired (a firing recorded before is kept) and, when {@code routed} (it
     * was delivered to every wait and rule it matched), marks it routed; through group commit.
     */
    CompletableFuture<Void> recordRouting(String eventId, List<RuleFiring> firings, boolean routed);

    /** Marks an event routed with nothing fired, waiting until it is durable. */
    default void markRouted(String eventId) {
        recordRouting(eventId, List.of(), true).join();
    }

    /** What an event fired so far (a re-route skips these rules). */
    List<RuleFiring> firings(String eventId);

    /** The newest firings of a trigger's rules, newest first. */
    List<RuleFiring> lastFirings(String trigger, int limit);

    /** Accepted events not yet marked routed, oldest first (recovery). */
    default List<InboxEvent> unroutedEvents(int limit) {
        return unroutedEvents(Instant.parse("9999-12-31T00:00:00Z"), limit);
    }

    /** Accepted events not yet marked routed that were received before {@code receivedBefore}, oldest first. */
    List<InboxEvent> unroutedEvents(Instant receivedBefore, int limit);

    Optional<InboxEvent> event(String id);

    @Override
    void close();
}
