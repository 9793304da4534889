package dev.tributary.engine.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the API's routes below {@code /api/v1}, each with its access rule and, for routes
 * that take a body, the bounded body reader; and remembers them so a test can hold the OpenAPI
 * document to what is served.
 */
final class ApiRoutes {

    /** A route's work, given the request (and its body, if the route reads one). */
    @FunctionalInterface
    interface Action {
        Future<Reply> handle(RoutingContext ctx, Buffer body);
    }

    private final Router router;
    private final Access access;
    private final BodyReader bodies;
    private final List<RouteTemplate> templates = new ArrayList<>();

    ApiRoutes(Router router, Access access, BodyReader bodies) {
        this.router = router;
        this.access = access;
        this.bodies = bodies;
    }

    void get(String path, Action action) {
        add(HttpMethod.GET, path, Access.Rule.KEY, false, action);
    }

    void delete(String path, Action action) {
        add(HttpMethod.DELETE, path, Access.Rule.KEY, false, action);
    }

    /** A PUT whose body is read (within the limit) before {@code action} runs. */
    void put(String path, Action action) {
        add(HttpMethod.PUT, path, Access.Rule.KEY, true, action);
    }

    /** A POST whose body is read (within the limit) before {@code action} runs. */
    void post(String path, Action action) {
        add(HttpMethod.POST, path, Access.Rule.KEY, true, action);
    }

    /** A POST whose body is read within the limits of {@code ownBodies} instead of the API's. */
    void post(String path, BodyReader ownBodies, Action action) {
        add(HttpMethod.POST, path, Access.Rule.KEY, ownBodies, action);
    }

    void getWith(Access.Rule rule, String path, Action action) {
        add(HttpMethod.GET, path, rule, false, action);
    }

    List<RouteTemplate> templates() {
        return List.copyOf(templates);
    }

    private void add(HttpMethod method, String path, Access.Rule rule, boolean readsBody, Action action) {
        add(method, path, rule, readsBody ? bodies : null, action);
    }

    /** @param reader how the body is read; null for routes that read none */
    private void add(HttpMethod method, String path, Access.Rule rule, BodyReader reader, Action action) {
        RouteTemplate template = new RouteTemplate(method, path);
        templates.add(template);
        router.route(method, template.routerPath()).handler(ctx -> {
            ctx.put(RequestMetrics.ROUTE_KEY, template.fullPath());
            Future<Buffer> body;
            try {
                // Synchronous, and before the body is read: an unauthorised caller never gets it buffered.
                access.check(rule, ctx.request());
                body = reader != null ? reader.read(ctx) : Future.succeededFuture(Buffer.buffer());
            } catch (RuntimeException e) {
                ctx.fail(e);
                return;
            }
            body.compose(b -> run(action, ctx, b))
                    .compose(reply -> reply.send(ctx))
                    .onFailure(e -> {
                        if (!ctx.response().ended()) {
                            ctx.fail(e);
                        }
                    });
        });
    }

    private static Future<Reply> run(Action action, RoutingContext ctx, Buffer body) {
        try {
            return action.handle(ctx, body);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }
}
