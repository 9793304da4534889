package dev.tributary.connectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An {@link EventSink} for consumer tests: keeps every event handed over, dedupes ids as the inbox
 * does, and serves each (one rule, {@code rule-1}) unless told to fail it or to hold it forever
 * (a node that died mid-delivery).
 */
public final class CollectingSink implements EventSink {

    public final List<ObjectNode> events = new CopyOnWriteArrayList<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private volatile Predicate<ObjectNode> fails = e -> false;
    private volatile boolean holding;

    /** Events for which {@code fails} holds are not served (the rule's function failed). */
    public CollectingSink failWhen(Predicate<ObjectNode> fails) {
        this.fails = fails;
        return this;
    }

    /** From now on every delivery stays unanswered. */
    public CollectingSink hold() {
        holding = true;
        return this;
    }

    @Override
    public CompletableFuture<Delivery> accept(ObjectNode event) {
        events.add(event);
        String id = event.path("id").asText();
        if (!accepted.add(id)) {
            return CompletableFuture.completedFuture(new Delivery(id, true, List.of()));
        }
        if (holding) {
            return new CompletableFuture<>();
        }
        boolean failed = fails.test(event);
        return CompletableFuture.completedFuture(new Delivery(id, false, List.of(new Delivery.RuleOutcome("rule-1", null, null,
                failed ? "FunctionError" : null, failed ? "boom" : null))));
    }

    public List<String> ids() {
        return events.stream().map(e -> e.path("id").asText()).toList();
    }
}
