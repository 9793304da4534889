package dev.tributary.connectors.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The built-in durable queues (SPEC §3): at-least-once delivery with leases. A received message
 * stays in the queue, invisible to other receivers, until its lease is deleted (acknowledged),
 * released (tried again later) or expires after the visibility timeout. After
 * {@link #MAX_DELIVERIES} deliveries that did not end in a delete the message moves to the
 * queue's dead-letter queue {@code <name>.dlq}. Methods block on the database; never call them
 * from an event loop.
 */
public interface QueueStore {

    /** SPEC §4: a message as compact JSON. */
    int MAX_MESSAGE_BYTES = 1 << 20;
    /** SPEC §3. */
    Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /** SPEC §3: deliveries before a message is dead-lettered. */
    int MAX_DELIVERIES = 5;
    String DEAD_LETTER_SUFFIX = ".dlq";

    static String deadLetterQueue(String queue) {
        return queue + DEAD_LETTER_SUFFIX;
    }

    /**
     * Appends a message, visible at once; durable when this returns.
     *
     * @return the message's id
     * @throws dev.tributary.connectors.PayloadTooLargeException over {@link #MAX_MESSAGE_BYTES}
     * @throws IllegalArgumentException for a bad queue name or a missing message
     */
    String send(String queue, JsonNode message);

    /**
     * Leases up to {@code max} visible messages, oldest first, for {@code visibilityTimeout}:
     * no other receiver (on any node) gets them while the lease holds. Each one's receive count
     * goes up by one. A visible message that has already been delivered {@link #MAX_DELIVERIES}
     * times (its consumer kept dying) is moved to the dead-letter queue instead of being returned.
     */
    List<QueueMessage> receive(String queue, int max, Duration visibilityTimeout, Instant now);

    /** Acknowledges: removes the message if {@code lease} is still its newest one; false when it was received again since. */
    boolean delete(QueueMessage.Lease lease);

    /**
     * Keeps a lease: the message stays hidden until {@code now + visibilityTimeout} (a consumer
     * whose delivery takes longer than the timeout extends it while it waits). False when the
     * lease is no longer the newest.
     */
    boolean extend(QueueMessage.Lease lease, Duration visibilityTimeout, Instant now);

    /** Makes the message visible again after {@code delay} (a failed delivery); false when the lease is no longer the newest. */
    boolean release(QueueMessage.Lease lease, Duration delay, Instant now);

    /** Moves the message to {@code <queue>.dlq} (same id, receive count reset); false when the lease is no longer the newest. */
    boolean deadLetter(QueueMessage.Lease lease, Instant now);

    QueueStats stats(String queue, Instant now);
}
