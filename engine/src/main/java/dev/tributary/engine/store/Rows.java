package dev.tributary.engine.store;

import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.core.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Runs a query and turns its rows into the store's records. */
final class Rows {

    interface Parameters {
        void bind(PreparedStatement ps) throws SQLException;
    }

    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static final Parameters NONE = ps -> { };

    private Rows() {
    }

    /** The first row, or null. */
    static <T> T first(Connection c, String sql, Parameters parameters, Mapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setMaxRows(1);
            parameters.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? mapper.map(rs) : null;
            }
        }
    }

    static <T> List<T> all(Connection c, String sql, Parameters parameters, Mapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            parameters.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        }
    }

    static int update(Connection c, String sql, Parameters parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            parameters.bind(ps);
            return ps.executeUpdate();
        }
    }

    static RunRecord run(ResultSet rs) throws SQLException {
        return new RunRecord(rs.getString("id"), rs.getString("workflow"), rs.getInt("workflow_version"),
                RunStatus.valueOf(rs.getString("status")), rs.getString("parent_run_id"), rs.getString("idempotency_key"),
                Columns.json(rs, "input"), Columns.json(rs, "output"), Columns.json(rs, "error"),
                Columns.instant(rs, "started_at"), Columns.instant(rs, "ended_at"), rs.getLong("version"), rs.getString("state"));
    }

    static HistoryEvent historyEvent(ResultSet rs) throws SQLException {
        return new HistoryEvent(rs.getLong("seq"), HistoryEvent.Type.valueOf(rs.getString("type")), rs.getString("step"),
                Columns.instant(rs, "at"), Columns.json(rs, "data"));
    }

    static Task task(ResultSet rs) throws SQLException {
        return new Task(rs.getString("run_id"), rs.getString("id"), Task.Kind.valueOf(rs.getString("kind")),
                Columns.instant(rs, "due_at"), rs.getString("wait_type"), rs.getString("wait_key"), Columns.json(rs, "payload"));
    }

    static RuleFiring firing(ResultSet rs) throws SQLException {
        return new RuleFiring(rs.getString("event_id"), rs.getString("rule"), rs.getString("trigger_name"), rs.getString("target"),
                rs.getString("target_name"), rs.getString("run_id"), rs.getString("activation_id"), rs.getString("error_type"),
                rs.getString("error_message"), Columns.instant(rs, "fired_at"));
    }

    static InboxEvent event(ResultSet rs) throws SQLException {
        return new InboxEvent(rs.getString("id"), rs.getString("type"), rs.getString("subject"), rs.getString("source"),
                Columns.instant(rs, "received_at"), Columns.json(rs, "cloud_event"));
    }

    static DefinitionRecord definition(ResultSet rs) throws SQLException {
        String kind = rs.getString("kind");
        return new DefinitionRecord(Kind.ofKey(kind).orElseThrow(() -> new IllegalStateException(
                "Expected a definition kind in the store, but found '" + kind + "'")),
                rs.getString("name"), rs.getInt("version"), rs.getString("document"), Columns.instant(rs, "deployed_at"),
                rs.getBoolean("deleted"));
    }
}
