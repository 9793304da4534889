package dev.tributary.engine.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.Delivery;
import dev.tributary.connectors.EventSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** An {@link EventSink} that keeps what it is handed and, like the inbox, counts an event id once. */
final class CollectingSink implements EventSink {

    private final List<String> handedOver = new ArrayList<>();
    private final Map<String, ObjectNode> accepted = new LinkedHashMap<>();
    private final Map<String, Instant> acceptedAt = new LinkedHashMap<>();
    private int failuresToCome;

    @Override
    public synchronized CompletableFuture<Delivery> accept(ObjectNode cloudEvent) {
        String id = cloudEvent.get("id").asText();
        handedOver.add(id);
        if (failuresToCome > 0) {
            failuresToCome--;
            return CompletableFuture.failedFuture(new IllegalStateException("the store is down"));
        }
        boolean duplicate = accepted.putIfAbsent(id, cloudEvent) != null;
        acceptedAt.putIfAbsent(id, Instant.now());
        return CompletableFuture.completedFuture(new Delivery(id, duplicate, List.of()));
    }

    /** The next {@code count} events handed over fail as if the store were down. */
    synchronized void failNext(int count) {
        failuresToCome = count;
    }

    /** Every event accepted, the first of each id. */
    synchronized List<ObjectNode> events() {
        return List.copyOf(accepted.values());
    }

    /** The slots of {@code trigger} accepted, in time order. */
    synchronized List<Instant> slots(String trigger) {
        return accepted.values().stream()
                .filter(e -> e.get("trigger").asText().equals(trigger))
                .map(CollectingSink::scheduledFor)
                .sorted()
                .toList();
    }

    /** How often each id was handed over, failures and duplicates included. */
    synchronized long handOvers(String id) {
        return handedOver.stream().filter(id::equals).count();
    }

    synchronized List<String> handedOver() {
        return List.copyOf(handedOver);
    }

    synchronized Instant acceptedAt(String id) {
        return acceptedAt.get(id);
    }

    static Instant scheduledFor(ObjectNode event) {
        return Instant.parse(event.get("data").get("scheduledFor").asText());
    }

    static Instant firedAt(ObjectNode event) {
        return Instant.parse(event.get("data").get("firedAt").asText());
    }
}
