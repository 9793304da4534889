package dev.tributary.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.HistoryEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@link RunStore} on H2 or PostgreSQL over JDBC: one schema, one set of migrations, group commit. */
public final class JdbcRunStore implements RunStore {

    private final Database db;
    private final ExecutorService completions;
    private final GroupCommitter committer;

    private JdbcRunStore(Database db) {
        this.db = db;
        // one thread: commits of a run complete in the order they were written
        this.completions = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tributary-store-completions");
            t.setDaemon(true);
            return t;
        });
        this.committer = new GroupCommitter(db, completions);
    }

    /** Opens the store, creating or migrating its tables. */
    public static JdbcRunStore open(StoreConfig config) {
        return new JdbcRunStore(Database.open(config));
    }

    // ---- definitions

    @Override
    public List<DefinitionRecord> deploy(List<DefinitionRecord.Draft> documents) {
        return inTransaction(c -> {
            List<DefinitionRecord> out = new ArrayList<>();
            for (DefinitionRecord.Draft d : documents) {
                DefinitionRecord newest = first(c, "SELECT * FROM definitions WHERE kind = ? AND name = ? ORDER BY version DESC",
                        ps -> {
                            ps.setString(1, d.kind().key());
                            ps.setString(2, d.name());
                        }, JdbcRunStore::definition);
                if (newest != null && !newest.deleted() && sameJson(newest.document(), d.document())) {
                    out.add(newest);
                    continue;
                }
                int version = newest == null ? 1 : newest.version() + 1;
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO definitions (kind, name, version, document, deployed_at, deleted) VALUES (?, ?, ?, ?, ?, FALSE)")) {
                    ps.setString(1, d.kind().key());
                    ps.setString(2, d.name());
                    ps.setInt(3, version);
                    ps.setString(4, d.document());
                    ps.setLong(5, Columns.micros(d.deployedAt()));
                    ps.executeUpdate();
                }
                out.add(new DefinitionRecord(d.kind(), d.name(), version, d.document(), d.deployedAt(), false));
            }
            return out;
        }, "deploy " + documents.size() + " definitions");
    }

    private static boolean sameJson(String a, String b) {
        JsonNode x = Columns.json(a);
        JsonNode y = Columns.json(b);
        return x.equals(y);
    }

    @Override
    public Optional<DefinitionRecord> definition(Kind kind, String name, int version) {
        String sql = version == 0
                ? "SELECT * FROM definitions WHERE kind = ? AND name = ? AND deleted = FALSE ORDER BY version DESC"
                : "SELECT * FROM definitions WHERE kind = ? AND name = ? AND version = ?";
        return Optional.ofNullable(read(c -> first(c, sql, ps -> {
            ps.setString(1, kind.key());
            ps.setString(2, name);
            if (version != 0) {
                ps.setInt(3, version);
            }
        }, JdbcRunStore::definition), "read " + kind.key() + " '" + name + "'"));
    }

    @Override
    public List<DefinitionRecord> latestDefinitions() {
        return read(c -> all(c, "SELECT * FROM definitions d WHERE deleted = FALSE AND version = "
                + "(SELECT MAX(version) FROM definitions x WHERE x.kind = d.kind AND x.name = d.name) ORDER BY seq",
                ps -> { }, JdbcRunStore::definition), "read the deployed definitions");
    }

    @Override
    public List<DefinitionRecord> versions(Kind kind, String name) {
        return read(c -> all(c, "SELECT * FROM definitions WHERE kind = ? AND name = ? ORDER BY version", ps -> {
            ps.setString(1, kind.key());
            ps.setString(2, name);
        }, JdbcRunStore::definition), "read the versions of " + kind.key() + " '" + name + "'");
    }

    @Override
    public boolean delete(Kind kind, String name) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE definitions SET deleted = TRUE WHERE kind = ? AND name = ? AND deleted = FALSE")) {
                ps.setString(1, kind.key());
                ps.setString(2, name);
                return ps.executeUpdate() > 0;
            }
        }, "delete " + kind.key() + " '" + name + "'");
    }

    private static DefinitionRecord definition(ResultSet rs) throws SQLException {
        return new DefinitionRecord(Kind.ofKey(rs.getString("kind")).orElseThrow(), rs.getString("name"), rs.getInt("version"),
                rs.getString("document"), Columns.instant(rs, "deployed_at"), rs.getBoolean("deleted"));
    }

    // ---- runs

    @Override
    public CompletableFuture<Void> commit(RunCommit commit) {
        return committer.commit(commit);
    }

    @Override
    public Optional<RunRecord> run(String id) {
        return Optional.ofNullable(read(c -> first(c, "SELECT * FROM runs WHERE id = ?", ps -> ps.setString(1, id), Sql::run),
                "read run '" + id + "'"));
    }

    @Override
    public Optional<RunRecord> runByIdempotencyKey(String workflow, String idempotencyKey) {
        return Optional.ofNullable(read(c -> first(c, "SELECT * FROM runs WHERE workflow = ? AND idempotency_key = ?", ps -> {
            ps.setString(1, workflow);
            ps.setString(2, idempotencyKey);
        }, Sql::run), "read the run of idempotency key '" + idempotencyKey + "'"));
    }

    @Override
    public RunPage runs(RunQuery q) {
        int limit = Math.max(1, Math.min(q.limit() <= 0 ? 50 : q.limit(), 1000));
        Cursor after = Cursor.parse(q.cursor());
        StringBuilder sql = new StringBuilder("SELECT * FROM runs WHERE 1 = 1");
        if (q.workflow() != null) {
            sql.append(" AND workflow = ?");
        }
        if (q.status() != null) {
            sql.append(" AND status = ?");
        }
        if (after != null) {
            sql.append(" AND (started_at < ? OR (started_at = ? AND id < ?))");
        }
        sql.append(" ORDER BY started_at DESC, id DESC LIMIT ").append(limit + 1);
        List<RunRecord> rows = read(c -> all(c, sql.toString(), ps -> {
            int i = 1;
            if (q.workflow() != null) {
                ps.setString(i++, q.workflow());
            }
            if (q.status() != null) {
                ps.setString(i++, q.status().name());
            }
            if (after != null) {
                ps.setLong(i++, after.startedAt());
                ps.setLong(i++, after.startedAt());
                ps.setString(i, after.id());
            }
        }, Sql::run), "list runs");
        if (rows.size() <= limit) {
            return new RunPage(rows, null);
        }
        List<RunRecord> page = rows.subList(0, limit);
        RunRecord last = page.get(limit - 1);
        return new RunPage(List.copyOf(page), new Cursor(Columns.micros(last.startedAt()), last.id()).toString());
    }

    /** Where a page of runs ended: opaque to callers, "micros:id" inside. */
    private record Cursor(long startedAt, String id) {
        static Cursor parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            int colon = text.indexOf(':');
            try {
                return new Cursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Expected a cursor from a previous page, got '" + text + "'");
            }
        }

        @Override
        public String toString() {
            return startedAt + ":" + id;
        }
    }

    @Override
    public List<HistoryEvent> history(String runId, long afterSeq, int limit) {
        return read(c -> all(c, "SELECT * FROM run_history WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT " + Math.max(0, limit),
                ps -> {
                    ps.setString(1, runId);
                    ps.setLong(2, afterSeq);
                }, Sql::history), "read the history of run '" + runId + "'");
    }

    // ---- tasks

    @Override
    public List<Task> dispatchableTasks() {
        return read(c -> all(c, "SELECT * FROM tasks WHERE kind NOT IN ('TIMER', 'WAIT')", ps -> { }, Sql::task),
                "read the tasks to dispatch");
    }

    @Override
    public List<Task> timersDueBefore(Instant before, int limit) {
        return read(c -> all(c, "SELECT * FROM tasks WHERE due_at < ? AND kind = 'TIMER' ORDER BY due_at LIMIT " + Math.max(0, limit),
                ps -> ps.setLong(1, Columns.micros(before)), Sql::task), "read due timers");
    }

    @Override
    public List<Task> waitsFor(String type, String subject) {
        return read(c -> all(c, "SELECT * FROM tasks WHERE wait_type = ? AND wait_key = ? AND kind = 'WAIT'", ps -> {
            ps.setString(1, type);
            ps.setString(2, Columns.key(subject));
        }, Sql::task), "read the waits for '" + type + "'");
    }

    @Override
    public void deleteTask(String runId, String taskId) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.DELETE_TASK)) {
                ps.setString(1, runId);
                ps.setString(2, taskId);
                return ps.executeUpdate();
            }
        }, "delete task '" + taskId + "' of run '" + runId + "'");
    }

    // ---- events

    @Override
    public CompletableFuture<Boolean> acceptEvent(InboxEvent event) {
        return committer.accept(event);
    }

    @Override
    public void markRouted(String eventId) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE events SET routed = TRUE WHERE id = ?")) {
                ps.setString(1, eventId);
                return ps.executeUpdate();
            }
        }, "mark event '" + eventId + "' routed");
    }

    @Override
    public List<InboxEvent> unroutedEvents(int limit) {
        return read(c -> all(c, "SELECT * FROM events WHERE routed = FALSE ORDER BY received_at LIMIT " + Math.max(0, limit),
                ps -> { }, Sql::event), "read unrouted events");
    }

    @Override
    public Optional<InboxEvent> event(String id) {
        return Optional.ofNullable(read(c -> first(c, "SELECT * FROM events WHERE id = ?", ps -> ps.setString(1, id), Sql::event),
                "read event '" + id + "'"));
    }

    @Override
    public void close() {
        committer.close();
        completions.shutdown();
        db.close();
    }

    // ---- plumbing

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static <T> T first(Connection c, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setMaxRows(1);
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? mapper.map(rs) : null;
            }
        }
    }

    private static <T> List<T> all(Connection c, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        }
    }

    private <T> T read(Work<T> work, String what) {
        try (Connection c = db.connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("Expected to " + what + ", but " + e.getMessage(), e);
        }
    }

    private <T> T inTransaction(Work<T> work, String what) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("Expected to " + what + ", but " + e.getMessage(), e);
        }
    }
}
