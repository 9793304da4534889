package dev.tributary.engine.store;

import dev.tributary.functions.Activation;
import dev.tributary.functions.InvocationResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ActivationStore} in the {@code activations} table, on the pool of the {@link JdbcRunStore}
 * that made it (and closed with it). A successful activation keeps its result as JSON text, a
 * failed one its error type and message; the status is stored too, to filter on.
 */
final class JdbcActivationStore implements ActivationStore {

    private static final String INSERT = "INSERT INTO activations (id, function_name, function_version, run_id, step, attempt, "
            + "idempotency_key, status, started_at, duration_nanos, memory_mb, gb_seconds, cost, cold_start, result, error_type, "
            + "error_message, logs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String TOTALS = "COUNT(*) AS activations, COALESCE(SUM(gb_seconds), 0) AS gb_seconds, "
            + "COALESCE(SUM(cost), 0) AS cost";

    private final Database db;

    JdbcActivationStore(Database db) {
        this.db = db;
    }

    @Override
    public void record(List<Activation> activations) {
        if (activations.isEmpty()) {
            return;
        }
        db.inTransaction("record " + activations.size() + " activations", c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (Activation a : activations) {
                    bind(ps, a);
                    ps.addBatch();
                }
                return ps.executeBatch();
            } catch (SQLException e) {
                // the batch's own message repeats every row; the reason is in the next exception
                throw new SQLException(Columns.reason(e), e.getSQLState(), e);
            }
        });
    }

    @Override
    public Optional<Activation> activation(String id) {
        return Optional.ofNullable(db.read("read activation '" + id + "'",
                c -> Rows.first(c, "SELECT * FROM activations WHERE id = ?", ps -> ps.setString(1, id), JdbcActivationStore::activation)));
    }

    @Override
    public ActivationPage activations(ActivationQuery query) {
        if (query.limit() < 1) {
            throw new IllegalArgumentException("Expected a limit of at least 1, but got " + query.limit());
        }
        int limit = Math.min(query.limit(), JdbcRunStore.MAX_PAGE);
        PageCursor after = PageCursor.parse(query.cursor(), "activations");
        StringBuilder sql = new StringBuilder("SELECT * FROM activations WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        if (query.function() != null) {
            sql.append(" AND function_name = ?");
            values.add(query.function());
        }
        if (query.runId() != null) {
            sql.append(" AND run_id = ?");
            values.add(query.runId());
        }
        if (query.status() != null) {
            sql.append(" AND status = ?");
            values.add(query.status().key());
        }
        if (after != null) {
            sql.append(" AND (started_at, id) < (?, ?)");
            values.add(after.startedAtMicros());
            values.add(after.id());
        }
        // one row more than asked says whether there is a next page
        sql.append(" ORDER BY started_at DESC, id DESC LIMIT ").append(limit + 1);
        List<Activation> rows = db.read("list activations", c -> Rows.all(c, sql.toString(), ps -> {
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
        }, JdbcActivationStore::activation));
        if (rows.size() <= limit) {
            return new ActivationPage(rows, null);
        }
        List<Activation> page = new ArrayList<>(rows.subList(0, limit));
        Activation last = page.get(limit - 1);
        return new ActivationPage(page, PageCursor.after(last.startedAt(), last.id()).token());
    }

    @Override
    public Usage usage(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("Expected the start of a usage range before its end, but it runs from " + from
                    + " to " + to);
        }
        return Usage.of(db.read("sum the usage from " + from + " to " + to, c -> Rows.all(c,
                "SELECT function_name, " + TOTALS + " FROM activations WHERE started_at >= ? AND started_at < ? "
                        + "GROUP BY function_name ORDER BY function_name", ps -> {
                    Columns.setInstant(ps, 1, from);
                    Columns.setInstant(ps, 2, to);
                }, rs -> new Usage.FunctionUsage(rs.getString("function_name"), totals(rs)))));
    }

    @Override
    public ActivationTotals runCost(String runId) {
        return db.read("sum the cost of run '" + runId + "'", c -> Rows.first(c,
                "SELECT " + TOTALS + " FROM activations WHERE run_id = ?", ps -> ps.setString(1, runId), JdbcActivationStore::totals));
    }

    private static ActivationTotals totals(ResultSet rs) throws SQLException {
        return new ActivationTotals(rs.getLong("activations"), rs.getDouble("gb_seconds"), rs.getDouble("cost"));
    }

    private static void bind(PreparedStatement ps, Activation a) throws SQLException {
        ps.setString(1, a.id());
        ps.setString(2, a.function());
        ps.setInt(3, a.version());
        ps.setString(4, a.runId());
        ps.setString(5, a.step());
        ps.setInt(6, a.attempt());
        ps.setString(7, a.idempotencyKey());
        ps.setString(8, a.status().key());
        Columns.setInstant(ps, 9, a.startedAt());
        ps.setLong(10, a.duration().toNanos());
        ps.setInt(11, a.memoryMb());
        ps.setDouble(12, a.gbSeconds());
        ps.setDouble(13, a.cost());
        ps.setBoolean(14, a.coldStart());
        if (a.result() instanceof InvocationResult.Failure failure) {
            ps.setString(15, null);
            ps.setString(16, failure.type());
            ps.setString(17, storable(failure.message()));
        } else {
            Columns.setJson(ps, 15, a.value());
            ps.setString(16, null);
            ps.setString(17, null);
        }
        ps.setString(18, storable(a.logs()));
    }

    /** PostgreSQL text cannot hold NUL characters, which a function's output may well contain. */
    private static String storable(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }

    private static Activation activation(ResultSet rs) throws SQLException {
        String errorType = rs.getString("error_type");
        InvocationResult result = errorType != null
                ? new InvocationResult.Failure(errorType, rs.getString("error_message"))
                : new InvocationResult.Success(Columns.json(rs, "result"));
        return new Activation(rs.getString("id"), rs.getString("function_name"), rs.getInt("function_version"),
                rs.getString("run_id"), rs.getString("step"), rs.getInt("attempt"), rs.getString("idempotency_key"),
                Columns.instant(rs, "started_at"), Duration.ofNanos(rs.getLong("duration_nanos")), rs.getInt("memory_mb"),
                rs.getDouble("gb_seconds"), rs.getDouble("cost"), rs.getBoolean("cold_start"), result, rs.getString("logs"));
    }
}
