package dev.tributary.engine.store;

import dev.tributary.connectors.files.SeenFiles;
import dev.tributary.connectors.queue.QueueStore;
import dev.tributary.connectors.stream.StreamStore;
import dev.tributary.connectors.table.TableStore;
import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.HistoryEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * {@link RunStore} on H2 or PostgreSQL over JDBC: one schema and one set of Flyway migrations for
 * both, commits and accepted events written by a {@link GroupCommitter}, everything else in short
 * transactions of its own.
 *
 * <p>Instants are stored to the microsecond: what is read back is {@code truncatedTo(MICROS)}.
 */
public final class JdbcRunStore implements RunStore {

    /** The most runs one page holds, whatever limit is asked for. */
    static final int MAX_PAGE = 1000;

    private final Database db;
    private final DefinitionTable definitions;
    private final JdbcCodeStore code;
    private final GroupCommitter committer;
    private final JdbcActivationStore activations;
    private final JdbcSecretStore secrets;
    private final JdbcSeenFiles seenFiles;
    private final JdbcTableStore tables;
    private final JdbcQueueStore queues;
    private final JdbcStreamStore streams;

    private JdbcRunStore(Database db, Clock clock) {
        this.db = db;
        this.definitions = new DefinitionTable(db);
        this.code = new JdbcCodeStore(db, clock);
        this.committer = new GroupCommitter(db);
        this.activations = new JdbcActivationStore(db);
        this.secrets = new JdbcSecretStore(db);
        this.seenFiles = new JdbcSeenFiles(db);
        this.tables = new JdbcTableStore(db, clock);
        this.queues = new JdbcQueueStore(db, clock);
        this.streams = new JdbcStreamStore(db, clock);
    }

    /** Opens the store, creating or migrating its tables first; stored code is stamped with the system clock. */
    public static JdbcRunStore open(StoreConfig config) {
        return open(config, Clock.systemUTC());
    }

    /** Opens the store, creating or migrating its tables first; {@code clock} stamps stored code. */
    public static JdbcRunStore open(StoreConfig config, Clock clock) {
        return new JdbcRunStore(Database.open(config), clock);
    }

    /** The activations in the same database, on this store's pool; closed with this store. */
    public ActivationStore activations() {
        return activations;
    }

    /** This store's pool, for the schedules (Quartz's tables are migrated with the store's); closed with this store. */
    public DataSource dataSource() {
        return db.dataSource();
    }

    // ---- definitions

    @Override
    public List<DefinitionRecord> deploy(List<DefinitionRecord.Draft> documents) {
        return definitions.deploy(documents);
    }

    @Override
    public Optional<DefinitionRecord> definition(Kind kind, String name, int version) {
        return definitions.definition(kind, name, version);
    }

    @Override
    public List<DefinitionRecord> latestDefinitions() {
        return definitions.latest();
    }

    @Override
    public List<DefinitionRecord> versions(Kind kind, String name) {
        return definitions.versions(kind, name);
    }

    @Override
    public boolean delete(Kind kind, String name) {
        return definitions.delete(kind, name);
    }

    @Override
    public CodeStore code() {
        return code;
    }

    @Override
    public SecretStore secrets() {
        return secrets;
    }

    /** What the files triggers have fired for, in the same database, on this store's pool; closed with this store. */
    public SeenFiles seenFiles() {
        return seenFiles;
    }

    public TableStore tables() {
        return tables;
    }

    @Override
    public QueueStore queues() {
        return queues;
    }

    @Override
    public StreamStore streams() {
        return streams;
    }

    // ---- runs

    @Override
    public CompletableFuture<Void> commit(RunCommit commit) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (commit.run().version() != commit.expectedVersion() + 1) {
            done.completeExceptionally(new IllegalArgumentException("Expected run '" + commit.run().id() + "' at version "
                    + (commit.expectedVersion() + 1) + " to follow version " + commit.expectedVersion() + ", but it is at version "
                    + commit.run().version()));
            return done;
        }
        committer.submit(new PendingWrite.Commit(commit, done));
        return done;
    }

    @Override
    public Optional<RunRecord> run(String id) {
        return Optional.ofNullable(db.read("read run '" + id + "'",
                c -> Rows.first(c, "SELECT * FROM runs WHERE id = ?", ps -> ps.setString(1, id), Rows::run)));
    }

    @Override
    public Optional<RunRecord> runByIdempotencyKey(String workflow, String idempotencyKey) {
        return Optional.ofNullable(db.read("read the run of workflow '" + workflow + "' with idempotency key '" + idempotencyKey + "'",
                c -> Rows.first(c, "SELECT * FROM runs WHERE workflow = ? AND idempotency_key = ?", ps -> {
                    ps.setString(1, workflow);
                    ps.setString(2, idempotencyKey);
                }, Rows::run)));
    }

    @Override
    public RunPage runs(RunQuery query) {
        int limit = Math.min(limit(query.limit()), MAX_PAGE);
        PageCursor after = PageCursor.parse(query.cursor(), "runs");
        StringBuilder sql = new StringBuilder("SELECT * FROM runs WHERE 1 = 1");
        if (query.workflow() != null) {
            sql.append(" AND workflow = ?");
        }
        if (query.status() != null) {
            sql.append(" AND status = ?");
        }
        if (after != null) {
            sql.append(" AND (started_at, id) < (?, ?)");
        }
        // one row more than asked says whether there is a next page
        sql.append(" ORDER BY started_at DESC, id DESC LIMIT ").append(limit + 1);
        List<RunRecord> rows = db.read("list runs", c -> Rows.all(c, sql.toString(), ps -> {
            int i = 1;
            if (query.workflow() != null) {
                ps.setString(i++, query.workflow());
            }
            if (query.status() != null) {
                ps.setString(i++, query.status().name());
            }
            if (after != null) {
                ps.setLong(i++, after.startedAtMicros());
                ps.setString(i, after.id());
            }
        }, Rows::run));
        if (rows.size() <= limit) {
            return new RunPage(rows, null);
        }
        List<RunRecord> page = new ArrayList<>(rows.subList(0, limit));
        return new RunPage(page, PageCursor.after(page.get(limit - 1).startedAt(), page.get(limit - 1).id()).token());
    }

    @Override
    public List<HistoryEvent> history(String runId, long afterSeq, int limit) {
        return db.read("read the history of run '" + runId + "'", c -> Rows.all(c,
                "SELECT * FROM run_history WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT " + limit(limit), ps -> {
                    ps.setString(1, runId);
                    ps.setLong(2, afterSeq);
                }, Rows::historyEvent));
    }

    // ---- tasks

    @Override
    public List<Task> dispatchableTasks() {
        return db.read("read the tasks to dispatch", c -> Rows.all(c,
                "SELECT * FROM tasks WHERE kind NOT IN ('TIMER', 'WAIT') ORDER BY run_id, id", Rows.NONE, Rows::task));
    }

    @Override
    public List<Task> timersDueBefore(Instant before, int limit) {
        return db.read("read the timers due before " + before, c -> Rows.all(c,
                "SELECT * FROM tasks WHERE kind = 'TIMER' AND due_at < ? ORDER BY due_at, run_id, id LIMIT " + limit(limit),
                ps -> Columns.setInstant(ps, 1, before), Rows::task));
    }

    @Override
    public List<Task> waitsFor(String type, String subject) {
        // a wait without a key matches events without a subject: "= NULL" would match nothing
        String key = subject == null ? "wait_key IS NULL" : "wait_key = ?";
        return db.read("read the waits for events of type '" + type + "'", c -> Rows.all(c,
                "SELECT * FROM tasks WHERE wait_type = ? AND " + key + " AND kind = 'WAIT' ORDER BY run_id, id", ps -> {
                    ps.setString(1, type);
                    if (subject != null) {
                        ps.setString(2, subject);
                    }
                }, Rows::task));
    }

    @Override
    public void deleteTask(String runId, String taskId) {
        db.inTransaction("delete task '" + taskId + "' of run '" + runId + "'", c -> Rows.update(c, GroupWriter.DELETE_TASK, ps -> {
            ps.setString(1, runId);
            ps.setString(2, taskId);
        }));
    }

    // ---- event inbox

    @Override
    public CompletableFuture<Boolean> acceptEvent(InboxEvent event) {
        CompletableFuture<Boolean> accepted = new CompletableFuture<>();
        committer.submit(new PendingWrite.Event(event, accepted));
        return accepted;
    }

    @Override
    public CompletableFuture<Void> recordRouting(String eventId, List<RuleFiring> firings, boolean routed) {
        CompletableFuture<Void> marked = new CompletableFuture<>();
        committer.submit(new PendingWrite.Routed(eventId, List.copyOf(firings), routed, marked));
        return marked;
    }

    @Override
    public List<RuleFiring> firings(String eventId) {
        return db.read("read what event '" + eventId + "' fired", c -> Rows.all(c,
                "SELECT * FROM rule_firings WHERE event_id = ? ORDER BY rule", ps -> ps.setString(1, eventId), Rows::firing));
    }

    @Override
    public List<RuleFiring> lastFirings(String trigger, int limit) {
        return db.read("read the last firings of trigger '" + trigger + "'", c -> Rows.all(c,
                "SELECT * FROM rule_firings WHERE trigger_name = ? ORDER BY fired_at DESC, event_id DESC, rule LIMIT " + limit(limit),
                ps -> ps.setString(1, trigger), Rows::firing));
    }

    @Override
    public List<InboxEvent> unroutedEvents(Instant receivedBefore, int limit) {
        return db.read("read the unrouted events", c -> Rows.all(c,
                "SELECT * FROM events WHERE routed = FALSE AND received_at < ? ORDER BY received_at, id LIMIT " + limit(limit),
                ps -> Columns.setInstant(ps, 1, receivedBefore), Rows::event));
    }

    @Override
    public Optional<InboxEvent> event(String id) {
        return Optional.ofNullable(db.read("read event '" + id + "'",
                c -> Rows.first(c, "SELECT * FROM events WHERE id = ?", ps -> ps.setString(1, id), Rows::event)));
    }

    /** Writes what is queued, then closes the pool. */
    @Override
    public void close() {
        committer.close();
        db.close();
    }

    private static int limit(int asked) {
        if (asked < 1) {
            throw new IllegalArgumentException("Expected a limit of at least 1, but got " + asked);
        }
        return asked;
    }
}
