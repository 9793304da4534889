package dev.tributary.connectors.queue;

/**
 * How many messages a queue holds.
 *
 * @param depth        visible now (ready to be received)
 * @param inFlight     leased to a receiver whose lease still holds
 * @param delayed      waiting out the backoff after a failed delivery
 * @param deadLettered in {@code <name>.dlq}
 */
public record QueueStats(String name, long depth, long inFlight, long delayed, long deadLettered) {
}
