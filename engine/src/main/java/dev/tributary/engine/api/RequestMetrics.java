package dev.tributary.engine.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;

/**
 * Times every request into {@code http.server.requests}, tagged by method, route template, status
 * and outcome (the timer's count is the request count). The template, never the raw path, keeps
 * the number of series bounded whatever ids callers send.
 */
final class RequestMetrics {

    static final String ROUTE_KEY = "tributary.route";
    private static final String UNMATCHED = "UNMATCHED";

    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The first handler of every request; records when the response is done (or the connection dropped). */
    void handle(RoutingContext ctx) {
        Timer.Sample sample = Timer.start(registry);
        ctx.addEndHandler(done -> {
            int status = ctx.response().getStatusCode();
            String route = ctx.get(ROUTE_KEY, UNMATCHED);
            sample.stop(Timer.builder("http.server.requests")
                    .description("HTTP API requests by route template and status")
                    .tag("method", ctx.request().method().name())
                    .tag("uri", route)
                    .tag("status", Integer.toString(status))
                    .tag("outcome", outcome(status, ctx.response().ended()))
                    .register(registry));
        });
        ctx.next();
    }

    /** UNKNOWN when the connection went away before the answer was complete. */
    private static String outcome(int status, boolean completed) {
        if (!completed) {
            return "UNKNOWN";
        }
        if (status >= 500) {
            return "SERVER_ERROR";
        }
        if (status >= 400) {
            return "CLIENT_ERROR";
        }
        return "SUCCESS";
    }
}
