package dev.tributary.engine.store;

import dev.tributary.engine.core.HistoryEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a group of pending writes inside the caller's transaction, one JDBC batch per statement,
 * and explains why a write that failed on its own failed.
 *
 * <p>The group committer puts at most one commit per run in a group, so the order of statements
 * across runs does not matter; within one commit, finished tasks are deleted before new ones are
 * inserted, so a commit may finish a task and start one with the same id (a timer re-armed).
 */
final class GroupWriter {

    private static final String INSERT_RUN = "INSERT INTO runs (id, workflow, workflow_version, status, parent_run_id, "
            + "idempotency_key, input, output, error, started_at, ended_at, version, state) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_RUN = "UPDATE runs SET status = ?, output = ?, error = ?, ended_at = ?, version = ?, "
            + "state = ? WHERE id = ? AND version = ?";
    private static final String INSERT_HISTORY = "INSERT INTO run_history (run_id, seq, type, step, at, data) "
            + "VALUES (?, ?, ?, ?, ?, ?)";
    static final String DELETE_TASK = "DELETE FROM tasks WHERE run_id = ? AND id = ?";
    /** A task that exists already is kept as it is: a command issued twice is still one command. */
    private static final String INSERT_TASK = "INSERT INTO tasks (run_id, id, kind, due_at, wait_type, wait_key, payload) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    /** The update count says whether the event was new. */
    private static final String INSERT_EVENT = "INSERT INTO events (id, type, subject, source, received_at, routed, cloud_event) "
            + "VALUES (?, ?, ?, ?, ?, FALSE, ?) ON CONFLICT DO NOTHING";

    private static final String MARK_ROUTED = "UPDATE events SET routed = TRUE WHERE id = ?";
    /** A firing recorded before (a re-route after a crash) is kept as it is. */
    private static final String INSERT_FIRING = "INSERT INTO rule_firings (event_id, rule, trigger_name, target, target_name, "
            + "run_id, activation_id, error_type, error_message, fired_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    /** A commit of the group expected a version the run no longer has (or never had). */
    static final class VersionMismatch extends Exception {

        private static final long serialVersionUID = 1L;

        VersionMismatch() {
            super(null, null, false, false);
        }
    }

    /**
     * Adds every write of {@code group} to the transaction of {@code c}.
     *
     * @return per write, in order: null for a commit, whether the event was new for an event
     */
    List<Object> write(Connection c, List<PendingWrite> group) throws SQLException, VersionMismatch {
        try (Batch insertRuns = new Batch(c, INSERT_RUN);
             Batch updateRuns = new Batch(c, UPDATE_RUN);
             Batch history = new Batch(c, INSERT_HISTORY);
             Batch deleteTasks = new Batch(c, DELETE_TASK);
             Batch insertTasks = new Batch(c, INSERT_TASK);
             Batch events = new Batch(c, INSERT_EVENT);
             Batch routed = new Batch(c, MARK_ROUTED);
             Batch firings = new Batch(c, INSERT_FIRING)) {
            for (PendingWrite w : group) {
                if (w instanceof PendingWrite.Commit pending) {
                    RunCommit commit = pending.commit();
                    if (commit.createsRun()) {
                        insertRuns.add(ps -> bindNewRun(ps, commit.run()));
                    } else {
                        updateRuns.add(ps -> bindChangedRun(ps, commit.run(), commit.expectedVersion()));
                    }
                    for (HistoryEvent e : commit.events()) {
                        history.add(ps -> bindHistoryEvent(ps, commit.run().id(), e));
                    }
                    for (String taskId : commit.finishedTasks()) {
                        deleteTasks.add(ps -> {
                            ps.setString(1, commit.run().id());
                            ps.setString(2, taskId);
                        });
                    }
                    for (Task t : commit.newTasks()) {
                        insertTasks.add(ps -> bindTask(ps, t));
                    }
                } else if (w instanceof PendingWrite.Event pending) {
                    events.add(ps -> bindEvent(ps, pending.event()));
                } else if (w instanceof PendingWrite.Routed pending) {
                    if (pending.routed()) {
                        routed.add(ps -> ps.setString(1, pending.eventId()));
                    }
                    for (RuleFiring f : pending.firings()) {
                        firings.add(ps -> bindFiring(ps, f));
                    }
                }
            }
            insertRuns.execute();
            for (int count : updateRuns.execute()) {
                if (count == 0) {
                    throw new VersionMismatch();
                }
            }
            history.execute();
            deleteTasks.execute();
            insertTasks.execute();
            int[] accepted = events.execute();
            routed.execute();
            firings.execute();
            List<Object> results = new ArrayList<>(group.size());
            int e = 0;
            for (PendingWrite w : group) {
                results.add(w instanceof PendingWrite.Event ? accepted[e++] > 0 : null);
            }
            return results;
        }
    }

    /**
     * Why {@code commit}, written on its own, failed with {@code failure}: the exception its caller
     * gets. Reads on {@code c}, whose transaction was rolled back.
     */
    RuntimeException explain(Connection c, RunCommit commit, Exception failure) throws SQLException {
        RunRecord run = commit.run();
        if (failure instanceof VersionMismatch) {
            Long stored = Rows.first(c, "SELECT version FROM runs WHERE id = ?", ps -> ps.setString(1, run.id()), rs -> rs.getLong(1));
            return new ConcurrentUpdateException("Expected to commit run '" + run.id() + "' at version " + commit.expectedVersion()
                    + ", but " + (stored == null ? "there is no such run" : "it is at version " + stored + " (another writer changed it)"));
        }
        if (commit.createsRun() && failure instanceof SQLException e && Columns.isUniqueViolation(e)) {
            String holder = run.idempotencyKey() == null ? null : Rows.first(c,
                    "SELECT id FROM runs WHERE workflow = ? AND idempotency_key = ?", ps -> {
                        ps.setString(1, run.workflow());
                        ps.setString(2, run.idempotencyKey());
                    }, rs -> rs.getString(1));
            if (holder != null && !holder.equals(run.id())) {
                return new DuplicateRunException(holder);
            }
            return new ConcurrentUpdateException("Expected to create run '" + run.id() + "', but a run with this id exists");
        }
        String reason = failure instanceof SQLException e ? Columns.reason(e) : failure.getMessage();
        return new StoreException("Expected to commit run '" + run.id() + "' at version " + commit.expectedVersion() + ", but "
                + reason, failure);
    }

    private static void bindNewRun(PreparedStatement ps, RunRecord r) throws SQLException {
        ps.setString(1, r.id());
        ps.setString(2, r.workflow());
        ps.setInt(3, r.workflowVersion());
        ps.setString(4, r.status().name());
        ps.setString(5, r.parentRunId());
        ps.setString(6, r.idempotencyKey());
        Columns.setJson(ps, 7, r.input());
        Columns.setJson(ps, 8, r.output());
        Columns.setJson(ps, 9, r.error());
        Columns.setInstant(ps, 10, r.startedAt());
        Columns.setInstant(ps, 11, r.endedAt());
        ps.setLong(12, r.version());
        ps.setString(13, r.state());
    }

    private static void bindChangedRun(PreparedStatement ps, RunRecord r, long expectedVersion) throws SQLException {
        ps.setString(1, r.status().name());
        Columns.setJson(ps, 2, r.output());
        Columns.setJson(ps, 3, r.error());
        Columns.setInstant(ps, 4, r.endedAt());
        ps.setLong(5, r.version());
        ps.setString(6, r.state());
        ps.setString(7, r.id());
        ps.setLong(8, expectedVersion);
    }

    private static void bindHistoryEvent(PreparedStatement ps, String runId, HistoryEvent e) throws SQLException {
        ps.setString(1, runId);
        ps.setLong(2, e.seq());
        ps.setString(3, e.type().name());
        ps.setString(4, e.step());
        Columns.setInstant(ps, 5, e.at());
        Columns.setJson(ps, 6, e.data());
    }

    private static void bindTask(PreparedStatement ps, Task t) throws SQLException {
        ps.setString(1, t.runId());
        ps.setString(2, t.id());
        ps.setString(3, t.kind().name());
        Columns.setInstant(ps, 4, t.dueAt());
        ps.setString(5, t.waitType());
        ps.setString(6, t.waitKey());
        Columns.setJson(ps, 7, t.payload());
    }

    private static void bindFiring(PreparedStatement ps, RuleFiring f) throws SQLException {
        ps.setString(1, f.eventId());
        ps.setString(2, f.rule());
        ps.setString(3, f.trigger());
        ps.setString(4, f.target());
        ps.setString(5, f.targetName());
        ps.setString(6, f.runId());
        ps.setString(7, f.activationId());
        ps.setString(8, cut(f.errorType(), 200)); // a function names its own error types: any length
        ps.setString(9, cut(f.errorMessage(), 2000));
        Columns.setInstant(ps, 10, f.firedAt());
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private static void bindEvent(PreparedStatement ps, InboxEvent e) throws SQLException {
        ps.setString(1, e.id());
        ps.setString(2, e.type());
        ps.setString(3, e.subject());
        ps.setString(4, e.source());
        Columns.setInstant(ps, 5, e.receivedAt());
        Columns.setJson(ps, 6, e.cloudEvent());
    }

    /** One statement's JDBC batch, prepared only if the group has rows for it. */
    private static final class Batch implements AutoCloseable {

        private static final int[] NONE = new int[0];
        private final Connection c;
        private final String sql;
        private PreparedStatement ps;

        Batch(Connection c, String sql) {
            this.c = c;
            this.sql = sql;
        }

        void add(Rows.Parameters row) throws SQLException {
            if (ps == null) {
                ps = c.prepareStatement(sql);
            }
            row.bind(ps);
            ps.addBatch();
        }

        int[] execute() throws SQLException {
            return ps == null ? NONE : ps.executeBatch();
        }

        @Override
        public void close() throws SQLException {
            if (ps != null) {
                ps.close();
            }
        }
    }
}
