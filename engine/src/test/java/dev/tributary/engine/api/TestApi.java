package dev.tributary.engine.api;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real {@link ApiServer} on a free loopback port over a {@link FakeEngine}, and a client for it. */
public final class TestApi implements AutoCloseable {

    public static final String KEY = "test-admin-key";

    public final FakeEngine engine;
    public final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    public final ApiServer server;
    public final int port;
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public TestApi(FakeEngine engine) {
        this(engine, ApiConfig.of("127.0.0.1", 0, KEY));
    }

    public TestApi(FakeEngine engine, ApiConfig config) {
        this.engine = engine;
        this.server = new ApiServer(vertx, engine, config, metrics);
        this.port = server.start().await();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public URI uri(String pathBelowApi) {
        return URI.create(url() + "/api/v1" + pathBelowApi);
    }

    /** A request to {@code /api/v1<path>} carrying the admin key. */
    public HttpRequest.Builder authorized(String pathBelowApi) {
        return HttpRequest.newBuilder(uri(pathBelowApi)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + KEY);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String pathBelowApi) {
        return send(authorized(pathBelowApi).GET());
    }

    public HttpResponse<String> post(String pathBelowApi, String json) {
        return send(authorized(pathBelowApi).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Override
    public void close() {
        server.stop().await();
        vertx.close().await();
        metrics.close();
    }
}
