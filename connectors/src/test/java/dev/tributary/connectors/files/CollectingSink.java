package dev.tributary.connectors.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.Delivery;
import dev.tributary.connectors.EventSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EventSink} that keeps what it is handed and accepts it, or refuses everything while told to. */
final class CollectingSink implements EventSink {

    private final List<ObjectNode> accepted = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> refused = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;

    @Override
    public CompletableFuture<Delivery> accept(ObjectNode cloudEvent) {
        if (refusing) {
            refused.add(cloudEvent);
            return CompletableFuture.failedFuture(new IllegalStateException("the store is down"));
        }
        accepted.add(cloudEvent);
        return CompletableFuture.completedFuture(new Delivery(cloudEvent.get("id").asText(), false, List.of()));
    }

    void refuse(boolean refusing) {
        this.refusing = refusing;
    }

    List<ObjectNode> accepted() {
        return List.copyOf(accepted);
    }

    List<ObjectNode> refused() {
        return List.copyOf(refused);
    }

    /** The accepted events' types, in order. */
    List<String> types() {
        return accepted.stream().map(e -> e.get("type").asText()).toList();
    }

    /** The accepted events' subjects (file names), in order. */
    List<String> subjects() {
        return accepted.stream().map(e -> e.get("subject").asText()).toList();
    }
}
