package dev.tributary.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * How values go in and out of columns: instants as epoch microseconds (finer parts are dropped,
 * so what is read back is {@code instant.truncatedTo(MICROS)}), JSON as text.
 */
final class Columns {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNIQUE_VIOLATION = "23505"; // the same SQLSTATE on H2 and PostgreSQL

    private Columns() {
    }

    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, micros(instant));
        }
    }

    /** Exact for any instant a long of microseconds holds (ChronoUnit.MICROS.between overflows through nanoseconds past 2262). */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long micros = rs.getLong(column);
        return rs.wasNull() ? null : instant(micros);
    }

    static void setJson(PreparedStatement ps, int index, JsonNode node) throws SQLException {
        ps.setString(index, text(node));
    }

    static String text(JsonNode node) {
        if (node == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Expected JSON that can be written as text, but " + e.getOriginalMessage(), e);
        }
    }

    static JsonNode json(ResultSet rs, String column) throws SQLException {
        return json(rs.getString(column));
    }

    static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Expected JSON text in the store, but " + e.getOriginalMessage(), e);
        }
    }

    /**
     * What the database said, without the statement: a failed batch's own message repeats the
     * SQL with its parameters (user data, whole run states); the reason is in the next exception.
     */
    static String reason(SQLException e) {
        SQLException last = e;
        while (last.getNextException() != null) {
            last = last.getNextException();
        }
        return last.getMessage();
    }

    /** Whether a unique key refused the statement (batch failures carry the cause as the next exception). */
    static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (UNIQUE_VIOLATION.equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
