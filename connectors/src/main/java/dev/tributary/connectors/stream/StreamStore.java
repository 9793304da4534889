package dev.tributary.connectors.stream;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The built-in partitioned streams (SPEC §3): records appended to one of {@link #SHARDS} shards
 * chosen by a stable hash of their partition key, numbered 1, 2, 3, ... per shard in commit
 * order with no gaps, so a reader that has seen sequence n has seen every record up to n.
 * Records are kept (no retention yet). Consumers keep a checkpoint per shard. Methods block on
 * the database; never call them from an event loop.
 */
public interface StreamStore {

    /** Shards per stream; fixed, so a key's shard never changes. */
    int SHARDS = 4;
    /** SPEC §4: a record's data as compact JSON. */
    int MAX_RECORD_BYTES = 1 << 20;
    /** Kinesis' bound on a partition key. */
    int MAX_PARTITION_KEY_LENGTH = 256;

    /** The shard of a partition key: CRC-32 of its UTF-8 bytes modulo {@link #SHARDS}, the same on every node and JVM. */
    static int shardOf(String partitionKey) {
        CRC32 crc = new CRC32();
        crc.update(partitionKey.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % SHARDS);
    }

    /**
     * Appends a record to its key's shard; durable when this returns.
     *
     * @throws dev.tributary.connectors.PayloadTooLargeException over {@link #MAX_RECORD_BYTES}
     * @throws IllegalArgumentException for a bad stream name or partition key, or missing data
     */
    Appended put(String stream, String partitionKey, JsonNode data);

    /** Up to {@code limit} records of one shard with a sequence above {@code afterSequence}, in order. */
    List<StreamRecord> read(String stream, int shard, long afterSequence, int limit);

    /** The position before the oldest record kept (TRIM_HORIZON): reading after it gives every record. */
    long trimHorizon(String stream, int shard);

    /** The newest sequence of a shard (LATEST), 0 when nothing was ever put there. */
    long latest(String stream, int shard);

    /** Every shard with its newest sequence, in shard order (all {@link #SHARDS}, empty ones at 0). */
    List<ShardInfo> shards(String stream);

    Optional<Checkpoint> checkpoint(String consumer, String stream, int shard);

    /** Writes the consumer's checkpoint of one shard (and its pending batch, if any), replacing what was there. */
    void saveCheckpoint(Checkpoint checkpoint);

    /** Where {@link #put} appended a record. */
    record Appended(long sequence, int shard) {
    }

    record ShardInfo(int shard, long latestSequence) {
    }
}
