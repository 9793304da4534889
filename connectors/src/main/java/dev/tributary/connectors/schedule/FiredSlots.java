package dev.tributary.connectors.schedule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The newest accepted slot of each cron/every trigger (table {@code schedule_slots}, migration
 * V7): catch-up after downtime starts after it. It only moves forward, so nodes recording slots
 * out of order cannot move it back.
 */
final class FiredSlots {

    private final DataSource dataSource;

    FiredSlots(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Optional<Instant> last(String trigger) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT last_slot FROM schedule_slots WHERE trigger_name = ?")) {
            s.setString(1, trigger);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(instant(rows.getLong(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the last fired slot of trigger '" + trigger + "'", e);
        }
    }

    /** Sets the slot, also backwards: a trigger (re)deployed now has missed nothing before now. */
    void reset(String trigger, Instant slot) {
        try (Connection c = dataSource.getConnection()) {
            if (update(c, "UPDATE schedule_slots SET last_slot = ? WHERE trigger_name = ?", trigger, slot) == 0) {
                update(c, "INSERT INTO schedule_slots (last_slot, trigger_name) VALUES (?, ?) ON CONFLICT DO NOTHING", trigger, slot);
            }
        } catch (SQLException e) {
            throw failure("reset the last fired slot of trigger '" + trigger + "'", e);
        }
    }

    /** Records an accepted slot unless a newer one is recorded; a trigger without a row stays without. */
    void advance(String trigger, Instant slot) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE schedule_slots SET last_slot = ? WHERE trigger_name = ? AND last_slot < ?")) {
            s.setLong(1, micros(slot));
            s.setString(2, trigger);
            s.setLong(3, micros(slot));
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure("record slot " + slot + " of trigger '" + trigger + "'", e);
        }
    }

    void forget(String trigger) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM schedule_slots WHERE trigger_name = ?")) {
            s.setString(1, trigger);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure("forget the slots of trigger '" + trigger + "'", e);
        }
    }

    private static int update(Connection c, String sql, String trigger, Instant slot) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, micros(slot));
            s.setString(2, trigger);
            return s.executeUpdate();
        }
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("Expected to " + what + ", but " + e.getMessage(), e);
    }
}
