package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.functions.FunctionInvoker;
import dev.tributary.functions.Functions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** A node on H2 in a data directory, with a settable clock and manual timers; restartable on the same directory. */
final class NodeFixture implements AutoCloseable {

    final Path dataDir;
    final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T09:00:00Z"));
    Node node;

    NodeFixture(Path dataDir) {
        this.dataDir = dataDir;
    }

    NodeConfig config() {
        return NodeConfig.defaults(dataDir).withClock(clock).withManualTimers().withShards(4).withNodeId("test-node");
    }

    Node start() {
        return start(Functions.withDefaults(clock));
    }

    Node start(FunctionInvoker functions) {
        JdbcRunStore store = store();
        node = Node.start(config(), store, store.activations(), functions);
        return node;
    }

    /** A node with another configuration, on the same data. */
    Node startWith(NodeConfig other) {
        JdbcRunStore store = store();
        node = Node.start(other, store, store.activations(), Functions.withDefaults(other.clock()));
        return node;
    }

    /** Closes the node and starts a new one on the same data. */
    Node restart(FunctionInvoker functions) {
        node.close();
        return start(functions);
    }

    Node restart() {
        return restart(Functions.withDefaults(clock));
    }

    /** The node's store: H2 in the data directory, as a node opens it. */
    JdbcRunStore store() {
        return NodeStore.open(config());
    }

    RunView start(String workflow, String inputJson) {
        return get(node.startRun(workflow, Json.parse(inputJson), null));
    }

    RunView awaitEnd(String runId) {
        return get(node.awaitEnd(runId, Duration.ofSeconds(10)));
    }

    static <T> T get(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        return Json.parse(text);
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
    }
}
