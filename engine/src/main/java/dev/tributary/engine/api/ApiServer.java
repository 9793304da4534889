package dev.tributary.engine.api;

import dev.tributary.engine.node.Engine;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of a node (SPEC §5) on Vert.x Web: routes below {@code /api/v1} that translate
 * requests into {@link Engine} calls and answers into the SPEC's JSON, with the admin key,
 * the request limits of SPEC §4 and request metrics applied to every route.
 *
 * <pre>{@code
 * ApiServer api = new ApiServer(vertx, engine, ApiConfig.of("127.0.0.1", 8080, key), registry);
 * int port = api.start().await();   // from a non-Vert.x thread
 * ...
 * api.stop().await();
 * }</pre>
 */
public final class ApiServer {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final Vertx vertx;
    private final ApiConfig config;
    private final Router router;
    private final List<RouteTemplate> routes;
    private HttpServer server;

    public ApiServer(Vertx vertx, Engine engine, ApiConfig config, PrometheusMeterRegistry metrics) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(metrics, "metrics");

        this.router = Router.router(vertx);
        RequestMetrics requestMetrics = new RequestMetrics(metrics);
        router.route().handler(requestMetrics::handle);

        Access access = new Access(config.apiKey(), config.metricsNeedKeyOffLoopback());
        ApiRoutes api = new ApiRoutes(router, access, new BodyReader(config.bodyLimit()));
        EngineCalls calls = new EngineCalls(vertx);
        JsonBodies json = new JsonBodies(config.maxNestingDepth(), config.bodyLimit());
        new OpsRoutes(engine, calls, metrics).mount(api);
        new DocumentRoutes().mount(api);
        new DeployRoutes(engine, calls, config.bodyLimit(), config.deployBodyLimit()).mount(api);
        new WorkflowRoutes(engine, calls).mount(api);
        new RunRoutes(engine, calls, json).mount(api);
        new EventRoutes(engine, calls, new CloudEvents(json)).mount(api);
        new FunctionRoutes(engine, calls, json).mount(api);
        new ActivationRoutes(engine, calls).mount(api);
        new TableRoutes(engine, calls, json).mount(api);
        new QueueRoutes(engine, calls, json).mount(api);
        new StreamRoutes(engine, calls, json).mount(api);
        new SecretRoutes(engine, calls, json).mount(api);
        new TriggerRoutes(engine, calls, json).mount(api);
        new HookRoutes(engine, calls, access, new BodyReader(config.bodyLimit())).mount(router);
        List<RouteTemplate> served = new java.util.ArrayList<>(api.templates());
        served.add(HookRoutes.DOCUMENTED); // any method reaches a hook; the document names the usual one
        this.routes = List.copyOf(served);

        router.route().failureHandler(ErrorResponses::handle);
        // Unknown routes and wrong methods never reach a failure handler: answer them in the same envelope.
        router.errorHandler(404, ErrorResponses::handle);
        router.errorHandler(405, ErrorResponses::handle);
    }

    /** Binds and starts answering; the future holds the bound port (useful with port 0). */
    public synchronized Future<Integer> start() {
        if (server != null) {
            return Future.failedFuture(new IllegalStateException("Expected to start the API once, but it is already started"));
        }
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                // HTTP/1.1 only: a body past the limit is refused by closing its connection, which only
                // HTTP/1.1 ties to one request; and h2c upgrades stalled larger answers to the JDK client.
                .setHttp2ClearTextEnabled(false);
        HttpServer created = vertx.createHttpServer(options).requestHandler(router);
        server = created;
        return created.listen()
                .onFailure(e -> forget(created)) // e.g. the port is taken: let the caller try again
                .map(bound -> {
                    LOG.info("HTTP API listening on http://{}:{}{}", config.host(), bound.actualPort(), RouteTemplate.BASE);
                    return bound.actualPort();
                });
    }

    /** Stops listening and closes open connections. */
    public synchronized Future<Void> stop() {
        if (server == null) {
            return Future.succeededFuture();
        }
        HttpServer closing = server;
        server = null;
        return closing.close();
    }

    private synchronized void forget(HttpServer failed) {
        if (server == failed) {
            server = null;
        }
    }

    /** Every route served, as the OpenAPI document must list them. */
    List<RouteTemplate> routes() {
        return routes;
    }
}
