package dev.tributary.engine.api;

import dev.tributary.engine.node.Engine;
import dev.tributary.engine.node.HookRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /hooks/...} (also under {@code /api/v1}): the http and GitHub triggers' webhooks. They
 * carry their own auth (the trigger's key, an HMAC signature, GitHub's signature), not the API's
 * bearer key; the body limit of the API applies. The engine decides everything else.
 */
final class HookRoutes {

    /** How the OpenAPI document lists the hooks. */
    static final RouteTemplate DOCUMENTED = new RouteTemplate(io.vertx.core.http.HttpMethod.POST, "/hooks/{path}");

    private static final List<String> BASES = List.of("/hooks/", RouteTemplate.BASE + "/hooks/");

    private final Engine engine;
    private final EngineCalls calls;
    private final Access access;
    private final BodyReader bodies;

    HookRoutes(Engine engine, EngineCalls calls, Access access, BodyReader bodies) {
        this.engine = engine;
        this.calls = calls;
        this.access = access;
        this.bodies = bodies;
    }

    void mount(Router router) {
        for (String base : BASES) {
            router.route(base + "*").handler(ctx -> {
                ctx.put(RequestMetrics.ROUTE_KEY, base + "*");
                String path = ctx.normalizedPath().substring(base.length());
                Future<Buffer> body;
                try {
                    body = bodies.read(ctx);
                } catch (RuntimeException e) {
                    ctx.fail(e);
                    return;
                }
                body.compose(b -> calls.async(() -> engine.hook(request(ctx.request(), path, b))))
                        .compose(answer -> {
                            HttpServerResponse response = ctx.response().setStatusCode(answer.status());
                            response.putHeader("Cache-Control", "no-store");
                            response.putHeader("X-Content-Type-Options", "nosniff");
                            answer.headers().forEach(response::putHeader);
                            return response.end(Buffer.buffer(answer.body()));
                        })
                        .onFailure(e -> {
                            if (!ctx.response().ended()) {
                                ctx.fail(e);
                            }
                        });
            });
        }
    }

    private HookRequest request(HttpServerRequest request, String path, Buffer body) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        Map<String, List<String>> query = new HashMap<>();
        request.params().names().forEach(name -> query.put(name, request.params().getAll(name)));
        return new HookRequest(request.method().name(), path, headers, query, body.getBytes(),
                access.isApiKey(headers.get("x-tributary-key")));
    }
}
