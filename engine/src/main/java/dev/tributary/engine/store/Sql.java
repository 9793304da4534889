package dev.tributary.engine.store;

import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.core.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** The statements of the store and how their parameters and rows map to records. */
final class Sql {

    private Sql() {
    }

    static final String RUN_COLUMNS = "id, workflow, workflow_version, status, parent_run_id, idempotency_key, input, output, "
            + "error, started_at, ended_at, version, state";

    static final String INSERT_RUN = "INSERT INTO runs (" + RUN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String UPDATE_RUN = "UPDATE runs SET status = ?, output = ?, error = ?, ended_at = ?, version = ?, state = ? "
            + "WHERE id = ? AND version = ?";

    static final String INSERT_HISTORY = "INSERT INTO run_history (run_id, seq, type, step, at, data) VALUES (?, ?, ?, ?, ?, ?)";

    static final String INSERT_TASK = "INSERT INTO tasks (run_id, id, kind, due_at, wait_type, wait_key, payload) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)";

    static final String DELETE_TASK = "DELETE FROM tasks WHERE run_id = ? AND id = ?";

    /** Insert-if-absent that works the same on H2 and PostgreSQL; the update count says whether it was new. */
    static final String ACCEPT_EVENT = "INSERT INTO events (id, type, subject, source, received_at, routed, cloud_event) "
            + "SELECT ?, ?, ?, ?, ?, FALSE, ? WHERE NOT EXISTS (SELECT 1 FROM events WHERE id = ?)";

    static void bindInsertRun(PreparedStatement ps, RunRecord r) throws SQLException {
        ps.setString(1, r.id());
        ps.setString(2, r.workflow());
        ps.setInt(3, r.workflowVersion());
        ps.setString(4, r.status().name());
        ps.setString(5, r.parentRunId());
        ps.setString(6, r.idempotencyKey());
        ps.setString(7, Columns.text(r.input()));
        ps.setString(8, Columns.text(r.output()));
        ps.setString(9, Columns.text(r.error()));
        ps.setLong(10, Columns.micros(r.startedAt()));
        Columns.setLong(ps, 11, Columns.micros(r.endedAt()));
        ps.setLong(12, r.version());
        ps.setString(13, r.state());
    }

    static void bindUpdateRun(PreparedStatement ps, RunRecord r, long expectedVersion) throws SQLException {
        ps.setString(1, r.status().name());
        ps.setString(2, Columns.text(r.output()));
        ps.setString(3, Columns.text(r.error()));
        Columns.setLong(ps, 4, Columns.micros(r.endedAt()));
        ps.setLong(5, r.version());
        ps.setString(6, r.state());
        ps.setString(7, r.id());
        ps.setLong(8, expectedVersion);
    }

    static void bindHistory(PreparedStatement ps, String runId, HistoryEvent e) throws SQLException {
        ps.setString(1, runId);
        ps.setLong(2, e.seq());
        ps.setString(3, e.type().name());
        ps.setString(4, e.step());
        ps.setLong(5, Columns.micros(e.at()));
        ps.setString(6, Columns.text(e.data()));
    }

    static void bindTask(PreparedStatement ps, Task t) throws SQLException {
        ps.setString(1, t.runId());
        ps.setString(2, t.id());
        ps.setString(3, t.kind().name());
        Columns.setLong(ps, 4, Columns.micros(t.dueAt()));
        ps.setString(5, t.waitType());
        if (t.kind() == Task.Kind.WAIT) {
            ps.setString(6, Columns.key(t.waitKey()));
        } else {
            ps.setNull(6, Types.VARCHAR);
        }
        ps.setString(7, Columns.text(t.payload()));
    }

    static void bindAcceptEvent(PreparedStatement ps, InboxEvent e) throws SQLException {
        ps.setString(1, e.id());
        ps.setString(2, e.type());
        ps.setString(3, e.subject());
        ps.setString(4, e.source());
        ps.setLong(5, Columns.micros(e.receivedAt()));
        ps.setString(6, Columns.text(e.cloudEvent()));
        ps.setString(7, e.id());
    }

    static RunRecord run(ResultSet rs) throws SQLException {
        return new RunRecord(rs.getString("id"), rs.getString("workflow"), rs.getInt("workflow_version"),
                RunStatus.valueOf(rs.getString("status")), rs.getString("parent_run_id"), rs.getString("idempotency_key"),
                Columns.json(rs, "input"), Columns.json(rs, "output"), Columns.json(rs, "error"),
                Columns.instant(rs, "started_at"), Columns.instant(rs, "ended_at"), rs.getLong("version"), rs.getString("state"));
    }

    static HistoryEvent history(ResultSet rs) throws SQLException {
        return new HistoryEvent(rs.getLong("seq"), HistoryEvent.Type.valueOf(rs.getString("type")), rs.getString("step"),
                Columns.instant(rs, "at"), Columns.json(rs, "data"));
    }

    static Task task(ResultSet rs) throws SQLException {
        return new Task(rs.getString("run_id"), rs.getString("id"), Task.Kind.valueOf(rs.getString("kind")),
                Columns.instant(rs, "due_at"), rs.getString("wait_type"), rs.getString("wait_key"), Columns.json(rs, "payload"));
    }

    static InboxEvent event(ResultSet rs) throws SQLException {
        return new InboxEvent(rs.getString("id"), rs.getString("type"), rs.getString("subject"), rs.getString("source"),
                Columns.instant(rs, "received_at"), Columns.json(rs, "cloud_event"));
    }

    static String runIdForKey(Database db, String workflow, String key) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM runs WHERE workflow = ? AND idempotency_key = ?")) {
            ps.setString(1, workflow);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("Expected to look up the run of idempotency key '" + key + "', but " + e.getMessage(), e);
        }
    }
}
