package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.node.Engine;

/** {@code /functions}: list, show, and invoke directly (outside any run). */
final class FunctionRoutes {

    private final Engine engine;
    private final EngineCalls calls;
    private final JsonBodies json;

    FunctionRoutes(Engine engine, EngineCalls calls, JsonBodies json) {
        this.engine = engine;
        this.calls = calls;
        this.json = json;
    }

    void mount(ApiRoutes routes) {
        routes.get("/functions", (ctx, body) ->
                calls.blocking(engine::functions).map(list -> Reply.ok(Representations.functions(list))));
        routes.get("/functions/{name}", (ctx, body) -> {
            String name = ctx.pathParam("name");
            return calls.blocking(() -> engine.function(name))
                    .map(found -> Reply.ok(Representations.function(found.orElseThrow(() -> ApiError.notFound(
                            "There is no function '" + name + "'; GET /api/v1/functions lists the deployed ones")), true)));
        });
        routes.post("/functions/{name}/invoke", (ctx, body) -> {
            String name = ctx.pathParam("name");
            MediaTypes.requireJson(ctx.request(), "the function input");
            JsonNode input = json.parseOrEmptyObject(body, "the function input");
            return calls.async(() -> engine.invoke(name, input)).map(outcome -> Reply.ok(Representations.invoked(outcome)));
        });
    }
}
