package dev.tributary.engine.api;

import dev.tributary.engine.node.Engine;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.buffer.Buffer;

/** What operators and their tools poll: {@code /health} (no key) and {@code /metrics} (no key on loopback). */
final class OpsRoutes {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Engine engine;
    private final EngineCalls calls;
    private final PrometheusMeterRegistry metrics;

    OpsRoutes(Engine engine, EngineCalls calls, PrometheusMeterRegistry metrics) {
        this.engine = engine;
        this.calls = calls;
        this.metrics = metrics;
    }

    void mount(ApiRoutes routes) {
        // A load balancer reads the status code: anything but UP takes the node out of rotation.
        routes.getWith(Access.Rule.OPEN, "/health", (ctx, body) -> calls.blocking(engine::health)
                .map(health -> Reply.json("UP".equals(health.status()) ? 200 : 503, Representations.health(health))));
        routes.getWith(Access.Rule.LOOPBACK_OR_KEY, "/metrics", (ctx, body) -> calls.blocking(metrics::scrape)
                .map(text -> Reply.text(200, PROMETHEUS_TEXT, Buffer.buffer(text))));
    }
}
