package dev.tributary.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.ConnectorNames;
import dev.tributary.connectors.PayloadTooLargeException;
import dev.tributary.connectors.queue.QueueMessage;
import dev.tributary.connectors.queue.QueueStats;
import dev.tributary.connectors.queue.QueueStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@link QueueStore} in the {@code queue_messages} table. Receivers lease with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} (PostgreSQL and H2 alike), so concurrent receivers,
 * on other nodes too, pass over each other's rows instead of waiting for them; every later change
 * is conditional on the lease token, so a receiver whose lease was taken over changes nothing.
 */
final class JdbcQueueStore implements QueueStore {

    private final Database db;
    private final Clock clock;

    JdbcQueueStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public String send(String queue, JsonNode message) {
        ConnectorNames.check("queue", queue);
        if (message == null || message.isMissingNode()) {
            throw new IllegalArgumentException("Expected a message to send to queue '" + queue + "', but got none");
        }
        String text = Columns.text(message);
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_MESSAGE_BYTES) {
            throw new PayloadTooLargeException("A message for queue '" + queue + "' is " + bytes
                    + " bytes, over the limit 'queue message' of " + MAX_MESSAGE_BYTES + " bytes");
        }
        String id = UUID.randomUUID().toString();
        long sentAt = Columns.micros(clock.instant());
        db.inTransaction("send a message to queue " + queue, c -> Rows.update(c,
                "INSERT INTO queue_messages (id, queue, message, sent_at, visible_at, receive_count, lease) VALUES (?, ?, ?, ?, 0, 0, NULL)",
                ps -> {
                    ps.setString(1, id);
                    ps.setString(2, queue);
                    ps.setString(3, text);
                    ps.setLong(4, sentAt);
                }));
        return id;
    }

    private record Candidate(String id, String message, int receiveCount, long sentAt) {
    }

    @Override
    public List<QueueMessage> receive(String queue, int max, Duration visibilityTimeout, Instant now) {
        ConnectorNames.check("queue", queue);
        if (max < 1) {
            throw new IllegalArgumentException("Expected to receive at least 1 message from queue '" + queue + "', but asked for " + max);
        }
        if (visibilityTimeout.isNegative() || visibilityTimeout.isZero()) {
            throw new IllegalArgumentException("Expected a positive visibility timeout, but got " + visibilityTimeout);
        }
        long nowMicros = Columns.micros(now);
        Instant visibleAt = now.plus(visibilityTimeout);
        String token = UUID.randomUUID().toString();
        return db.inTransaction("receive messages from queue " + queue, c -> {
            List<Candidate> candidates = Rows.all(c, "SELECT id, message, receive_count, sent_at FROM queue_messages"
                            + " WHERE queue = ? AND visible_at <= ? ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED",
                    ps -> {
                        ps.setString(1, queue);
                        ps.setLong(2, nowMicros);
                        ps.setInt(3, max);
                    },
                    rs -> new Candidate(rs.getString("id"), rs.getString("message"), rs.getInt("receive_count"), rs.getLong("sent_at")));
            List<QueueMessage> leased = new ArrayList<>();
            List<Candidate> worn = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE queue_messages SET lease = ?, visible_at = ?,"
                    + " receive_count = receive_count + 1 WHERE id = ? AND visible_at <= ? AND receive_count = ?")) {
                for (Candidate candidate : candidates) {
                    if (candidate.receiveCount() >= MAX_DELIVERIES) {
                        worn.add(candidate); // delivered as often as allowed, and its last consumer never answered
                        continue;
                    }
                    ps.setString(1, token);
                    Columns.setInstant(ps, 2, visibleAt);
                    ps.setString(3, candidate.id());
                    ps.setLong(4, nowMicros);
                    ps.setInt(5, candidate.receiveCount());
                    if (ps.executeUpdate() == 1) {
                        int count = candidate.receiveCount() + 1;
                        leased.add(new QueueMessage(candidate.id(), Columns.json(candidate.message()), count,
                                Columns.instant(candidate.sentAt()),
                                new QueueMessage.Lease(queue, candidate.id(), token, count, visibleAt.truncatedTo(ChronoUnit.MICROS))));
                    }
                }
            }
            for (Candidate candidate : worn) {
                moveToDeadLetters(c, queue, candidate.id(), null);
            }
            return leased;
        });
    }

    @Override
    public boolean delete(QueueMessage.Lease lease) {
        return db.inTransaction("delete message " + lease.messageId() + " from queue " + lease.queue(), c -> Rows.update(c,
                "DELETE FROM queue_messages WHERE id = ? AND queue = ? AND lease = ?", ps -> {
                    ps.setString(1, lease.messageId());
                    ps.setString(2, lease.queue());
                    ps.setString(3, lease.token());
                })) == 1;
    }

    @Override
    public boolean extend(QueueMessage.Lease lease, Duration visibilityTimeout, Instant now) {
        Instant visibleAt = now.plus(visibilityTimeout);
        return db.inTransaction("extend the lease on message " + lease.messageId() + " of queue " + lease.queue(), c -> Rows.update(c,
                "UPDATE queue_messages SET visible_at = ? WHERE id = ? AND queue = ? AND lease = ?", ps -> {
                    Columns.setInstant(ps, 1, visibleAt);
                    ps.setString(2, lease.messageId());
                    ps.setString(3, lease.queue());
                    ps.setString(4, lease.token());
                })) == 1;
    }

    @Override
    public boolean release(QueueMessage.Lease lease, Duration delay, Instant now) {
        Instant visibleAt = now.plus(delay.isNegative() ? Duration.ZERO : delay);
        return db.inTransaction("release message " + lease.messageId() + " of queue " + lease.queue(), c -> Rows.update(c,
                "UPDATE queue_messages SET lease = NULL, visible_at = ? WHERE id = ? AND queue = ? AND lease = ?", ps -> {
                    Columns.setInstant(ps, 1, visibleAt);
                    ps.setString(2, lease.messageId());
                    ps.setString(3, lease.queue());
                    ps.setString(4, lease.token());
                })) == 1;
    }

    @Override
    public boolean deadLetter(QueueMessage.Lease lease, Instant now) {
        return db.inTransaction("dead-letter message " + lease.messageId() + " of queue " + lease.queue(),
                c -> moveToDeadLetters(c, lease.queue(), lease.messageId(), lease.token()));
    }

    /** Same row, same id, into {@code <queue>.dlq}: visible at once there, never received from it yet. */
    private static boolean moveToDeadLetters(Connection c, String queue, String id, String token) throws SQLException {
        return Rows.update(c, "UPDATE queue_messages SET queue = ?, lease = NULL, visible_at = 0, receive_count = 0"
                + " WHERE id = ? AND queue = ?" + (token == null ? "" : " AND lease = ?"), ps -> {
                    ps.setString(1, QueueStore.deadLetterQueue(queue));
                    ps.setString(2, id);
                    ps.setString(3, queue);
                    if (token != null) {
                        ps.setString(4, token);
                    }
                }) == 1;
    }

    @Override
    public QueueStats stats(String queue, Instant now) {
        ConnectorNames.check("queue", queue);
        long nowMicros = Columns.micros(now);
        String deadLetters = QueueStore.deadLetterQueue(queue);
        return db.read("count the messages of queue " + queue, c -> Rows.first(c,
                "SELECT"
                        + " COALESCE(SUM(CASE WHEN queue = ? AND visible_at <= ? THEN 1 ELSE 0 END), 0) AS depth,"
                        + " COALESCE(SUM(CASE WHEN queue = ? AND visible_at > ? AND lease IS NOT NULL THEN 1 ELSE 0 END), 0) AS in_flight,"
                        + " COALESCE(SUM(CASE WHEN queue = ? AND visible_at > ? AND lease IS NULL THEN 1 ELSE 0 END), 0) AS delayed,"
                        + " COALESCE(SUM(CASE WHEN queue = ? THEN 1 ELSE 0 END), 0) AS dead_lettered"
                        + " FROM queue_messages WHERE queue IN (?, ?)",
                ps -> {
                    for (int i = 0; i < 3; i++) {
                        ps.setString(1 + 2 * i, queue);
                        ps.setLong(2 + 2 * i, nowMicros);
                    }
                    ps.setString(7, deadLetters);
                    ps.setString(8, queue);
                    ps.setString(9, deadLetters);
                },
                rs -> new QueueStats(queue, rs.getLong("depth"), rs.getLong("in_flight"), rs.getLong("delayed"),
                        rs.getLong("dead_lettered"))));
    }
}
