package dev.tributary.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.ConnectorNames;
import dev.tributary.connectors.PayloadTooLargeException;
import dev.tributary.connectors.stream.Checkpoint;
import dev.tributary.connectors.stream.StreamRecord;
import dev.tributary.connectors.stream.StreamStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link StreamStore} in {@code stream_shards}, {@code stream_records} and
 * {@code stream_checkpoints}. An append increments its shard's counter row and inserts the record
 * in one transaction: the row lock serialises appends to a shard, so sequence numbers commit in
 * order and without gaps on H2 and PostgreSQL alike.
 */
final class JdbcStreamStore implements StreamStore {

    private final Database db;
    private final Clock clock;

    JdbcStreamStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Appended put(String stream, String partitionKey, JsonNode data) {
        ConnectorNames.check("stream", stream);
        if (partitionKey == null || partitionKey.isEmpty() || partitionKey.length() > MAX_PARTITION_KEY_LENGTH) {
            throw new IllegalArgumentException("Expected a partition key of 1 to " + MAX_PARTITION_KEY_LENGTH
                    + " characters for stream '" + stream + "', but got " + (partitionKey == null ? "none" : partitionKey.length() + " characters"));
        }
        if (data == null || data.isMissingNode()) {
            throw new IllegalArgumentException("Expected data to put on stream '" + stream + "', but got none");
        }
        String text = Columns.text(data);
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_RECORD_BYTES) {
            throw new PayloadTooLargeException("A record for stream '" + stream + "' is " + bytes
                    + " bytes, over the limit 'stream record' of " + MAX_RECORD_BYTES + " bytes");
        }
        int shard = StreamStore.shardOf(partitionKey);
        long putAt = Columns.micros(clock.instant());
        for (int attempt = 0; attempt < 2; attempt++) {
            Long sequence = db.inTransaction("put a record on stream " + stream, c -> {
                Long next = nextSequence(c, stream, shard);
                if (next != null) {
                    Rows.update(c, "INSERT INTO stream_records (stream, shard, sequence, partition_key, data, put_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)", ps -> {
                                ps.setString(1, stream);
                                ps.setInt(2, shard);
                                ps.setLong(3, next);
                                ps.setString(4, partitionKey);
                                ps.setString(5, text);
                                ps.setLong(6, putAt);
                            });
                }
                return next;
            });
            if (sequence != null) {
                return new Appended(sequence, shard);
            }
            createShards(stream);
        }
        throw new IllegalStateException("Expected the shard counters of stream '" + stream + "' to exist after creating them, but they do not");
    }

    /** Takes the shard's next sequence under its row lock (held until commit); null when the stream has no counters yet. */
    private static Long nextSequence(Connection c, String stream, int shard) throws SQLException {
        int updated = Rows.update(c, "UPDATE stream_shards SET last_sequence = last_sequence + 1 WHERE stream = ? AND shard = ?",
                ps -> {
                    ps.setString(1, stream);
                    ps.setInt(2, shard);
                });
        if (updated == 0) {
            return null;
        }
        return Rows.first(c, "SELECT last_sequence FROM stream_shards WHERE stream = ? AND shard = ?", ps -> {
            ps.setString(1, stream);
            ps.setInt(2, shard);
        }, rs -> rs.getLong("last_sequence"));
    }

    /** The first put on a stream creates its counters; a concurrent first put may have done it already. */
    private void createShards(String stream) {
        try {
            db.inTransaction("create the shards of stream " + stream, c -> {
                for (int shard = 0; shard < SHARDS; shard++) {
                    int s = shard;
                    Rows.update(c, "INSERT INTO stream_shards (stream, shard, last_sequence) VALUES (?, ?, 0)", ps -> {
                        ps.setString(1, stream);
                        ps.setInt(2, s);
                    });
                }
                return null;
            });
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException sql && Columns.isUniqueViolation(sql))) {
                throw e;
            }
        }
    }

    @Override
    public List<StreamRecord> read(String stream, int shard, long afterSequence, int limit) {
        checkShard(stream, shard);
        if (limit < 1) {
            throw new IllegalArgumentException("Expected to read at least 1 record of stream '" + stream + "', but asked for " + limit);
        }
        return db.read("read stream " + stream + " shard " + shard, c -> Rows.all(c,
                "SELECT sequence, partition_key, data, put_at FROM stream_records WHERE stream = ? AND shard = ? AND sequence > ?"
                        + " ORDER BY sequence LIMIT ?",
                ps -> {
                    ps.setString(1, stream);
                    ps.setInt(2, shard);
                    ps.setLong(3, afterSequence);
                    ps.setInt(4, limit);
                },
                rs -> new StreamRecord(stream, shard, rs.getLong("sequence"), rs.getString("partition_key"),
                        Columns.json(rs, "data"), Columns.instant(rs, "put_at"))));
    }

    @Override
    public long trimHorizon(String stream, int shard) {
        checkShard(stream, shard);
        Long oldest = db.read("find the oldest record of stream " + stream + " shard " + shard, c -> Rows.first(c,
                "SELECT MIN(sequence) AS oldest FROM stream_records WHERE stream = ? AND shard = ?", ps -> {
                    ps.setString(1, stream);
                    ps.setInt(2, shard);
                }, rs -> {
                    long value = rs.getLong("oldest");
                    return rs.wasNull() ? null : value;
                }));
        // No record yet: before the first. Not the shard's counter, which a put may already have moved while its
        // record is not yet visible to the read above (that read and this answer would skip it). Records are
        // never removed yet; retention will have to keep a horizon of its own.
        return oldest == null ? 0 : oldest - 1;
    }

    @Override
    public long latest(String stream, int shard) {
        checkShard(stream, shard);
        Long last = db.read("find the newest record of stream " + stream + " shard " + shard, c -> Rows.first(c,
                "SELECT last_sequence FROM stream_shards WHERE stream = ? AND shard = ?", ps -> {
                    ps.setString(1, stream);
                    ps.setInt(2, shard);
                }, rs -> rs.getLong("last_sequence")));
        return last == null ? 0 : last;
    }

    @Override
    public List<ShardInfo> shards(String stream) {
        ConnectorNames.check("stream", stream);
        long[] latest = new long[SHARDS];
        db.read("list the shards of stream " + stream, c -> Rows.all(c,
                "SELECT shard, last_sequence FROM stream_shards WHERE stream = ?", ps -> ps.setString(1, stream), rs -> {
                    int shard = rs.getInt("shard");
                    if (shard >= 0 && shard < SHARDS) {
                        latest[shard] = rs.getLong("last_sequence");
                    }
                    return shard;
                }));
        List<ShardInfo> shards = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            shards.add(new ShardInfo(shard, latest[shard]));
        }
        return shards;
    }

    @Override
    public Optional<Checkpoint> checkpoint(String consumer, String stream, int shard) {
        checkShard(stream, shard);
        return Optional.ofNullable(db.read("read the checkpoint of " + consumer + " on stream " + stream + " shard " + shard,
                c -> Rows.first(c, "SELECT sequence, pending_from, pending_to, pending_attempt FROM stream_checkpoints"
                        + " WHERE consumer = ? AND stream = ? AND shard = ?", ps -> {
                            ps.setString(1, consumer);
                            ps.setString(2, stream);
                            ps.setInt(3, shard);
                        }, rs -> {
                            long from = rs.getLong("pending_from");
                            Checkpoint.Pending pending = rs.wasNull() ? null
                                    : new Checkpoint.Pending(from, rs.getLong("pending_to"), rs.getInt("pending_attempt"));
                            return new Checkpoint(consumer, stream, shard, rs.getLong("sequence"), pending);
                        })));
    }

    @Override
    public void saveCheckpoint(Checkpoint checkpoint) {
        checkShard(checkpoint.stream(), checkpoint.shard());
        String what = "save the checkpoint of " + checkpoint.consumer() + " on stream " + checkpoint.stream() + " shard "
                + checkpoint.shard();
        try {
            db.inTransaction(what, c -> {
                if (Rows.update(c, "UPDATE stream_checkpoints SET sequence = ?, pending_from = ?, pending_to = ?, pending_attempt = ?"
                        + " WHERE consumer = ? AND stream = ? AND shard = ?", ps -> {
                            bindPosition(ps, checkpoint);
                            ps.setString(5, checkpoint.consumer());
                            ps.setString(6, checkpoint.stream());
                            ps.setInt(7, checkpoint.shard());
                        }) == 0) {
                    Rows.update(c, "INSERT INTO stream_checkpoints (sequence, pending_from, pending_to, pending_attempt, consumer,"
                            + " stream, shard) VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
                                bindPosition(ps, checkpoint);
                                ps.setString(5, checkpoint.consumer());
                                ps.setString(6, checkpoint.stream());
                                ps.setInt(7, checkpoint.shard());
                            });
                }
                return null;
            });
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException sql && Columns.isUniqueViolation(sql))) {
                throw e;
            }
            saveCheckpoint(checkpoint); // another writer inserted the row first: now it is there to update
        }
    }

    private static void bindPosition(PreparedStatement ps, Checkpoint checkpoint) throws SQLException {
        ps.setLong(1, checkpoint.sequence());
        Checkpoint.Pending pending = checkpoint.pending();
        if (pending == null) {
            ps.setNull(2, Types.BIGINT);
            ps.setNull(3, Types.BIGINT);
            ps.setNull(4, Types.INTEGER);
        } else {
            ps.setLong(2, pending.from());
            ps.setLong(3, pending.to());
            ps.setInt(4, pending.attempt());
        }
    }

    private static void checkShard(String stream, int shard) {
        ConnectorNames.check("stream", stream);
        if (shard < 0 || shard >= SHARDS) {
            throw new IllegalArgumentException("Expected a shard of stream '" + stream + "' from 0 to " + (SHARDS - 1) + ", but got " + shard);
        }
    }
}
