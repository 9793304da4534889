package dev.tributary.engine.node;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BiConsumer;

/** Callers waiting for runs to end ({@code awaitEnd}, {@code ?wait=}), woken in memory when a run's end is durable. */
final class RunWatchers {

    private final Map<String, List<CompletableFuture<RunView>>> waiting = new ConcurrentHashMap<>();
    private final BiConsumer<RunView, JsonNode> onEnded;

    RunWatchers() {
        this((run, event) -> { });
    }

    /** @param onEnded told of every run that ends on this node (with the event that last started or resumed it), after its watchers */
    RunWatchers(BiConsumer<RunView, JsonNode> onEnded) {
        this.onEnded = onEnded;
    }

    /** A future completed with the run once it has ended; register before reading the run, so no end slips between. */
    CompletableFuture<RunView> watch(String runId) {
        CompletableFuture<RunView> ended = new CompletableFuture<>();
        waiting.computeIfAbsent(runId, id -> new CopyOnWriteArrayList<>()).add(ended);
        return ended;
    }

    void forget(String runId, CompletableFuture<RunView> watcher) {
        waiting.computeIfPresent(runId, (id, list) -> {
            list.remove(watcher);
            return list.isEmpty() ? null : list;
        });
    }

    void ended(RunView run, JsonNode event) {
        List<CompletableFuture<RunView>> watchers = waiting.remove(run.id());
        if (watchers != null) {
            watchers.forEach(w -> w.complete(run));
        }
        onEnded.accept(run, event);
    }
}
