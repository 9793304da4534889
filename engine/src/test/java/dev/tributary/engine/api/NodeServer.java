package dev.tributary.engine.api;

import dev.tributary.engine.node.Node;
import dev.tributary.engine.node.NodeConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real {@link Node} (H2 under {@code dir/data}, manual timers, one shard) behind a real {@link ApiServer} on a free
 * loopback port: what {@link TestApi} is for a {@link FakeEngine}, for tests that need the whole engine.
 */
public final class NodeServer implements AutoCloseable {

    public static final String KEY = "node-test-key";

    public final Node node;
    private final Vertx vertx = Vertx.vertx();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ApiServer api;
    private final String url;

    private NodeServer(Node node) {
        this.node = node;
        this.api = new ApiServer(vertx, node, ApiConfig.of("127.0.0.1", 0, KEY), metrics);
        this.url = "http://127.0.0.1:" + api.start().await();
    }

    public static NodeServer start(Path dir) throws IOException {
        Node node = Node.start(NodeConfig.defaults(Files.createDirectories(dir.resolve("data"))).withManualTimers().withShards(1));
        try {
            return new NodeServer(node);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<port>}, without the {@code /api/v1} prefix. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        api.stop().await();
        vertx.close().await();
        node.close();
        metrics.close();
    }
}
