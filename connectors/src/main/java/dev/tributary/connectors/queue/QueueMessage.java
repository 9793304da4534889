package dev.tributary.connectors.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A received message and the lease it was received under.
 *
 * @param receiveCount how many times it has been received, this time included (from 1)
 */
public record QueueMessage(String id, JsonNode message, int receiveCount, Instant sentAt, Lease lease) {

    /**
     * What proves a receiver still holds the message: a token that changes with every receive.
     *
     * @param visibleAt when the lease expires and the message becomes visible again
     */
    public record Lease(String queue, String messageId, String token, int receiveCount, Instant visibleAt) {
    }
}
