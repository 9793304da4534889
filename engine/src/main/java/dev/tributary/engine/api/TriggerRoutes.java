package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.node.Engine;

/** {@code /triggers} and {@code /rules}: what is deployed, next fire times and last firings, firing by hand, enable/disable. */
final class TriggerRoutes {

    private final Engine engine;
    private final EngineCalls calls;
    private final JsonBodies json;

    TriggerRoutes(Engine engine, EngineCalls calls, JsonBodies json) {
        this.engine = engine;
        this.calls = calls;
        this.json = json;
    }

    void mount(ApiRoutes routes) {
        routes.get("/triggers", (ctx, body) ->
                calls.blocking(engine::triggers).map(list -> Reply.ok(TriggerRepresentations.triggers(list))));
        routes.get("/triggers/{name}", (ctx, body) -> {
            String name = ctx.pathParam("name");
            return calls.blocking(() -> engine.trigger(name)).map(found -> Reply.ok(TriggerRepresentations.trigger(
                    found.orElseThrow(() -> ApiError.notFound("There is no trigger '" + name
                            + "'; GET /api/v1/triggers lists the deployed ones")), true)));
        });
        routes.post("/triggers/{name}/fire", (ctx, body) -> {
            String name = ctx.pathParam("name");
            MediaTypes.requireJson(ctx.request(), "the event data or CloudEvent");
            JsonNode data = json.parseOrEmptyObject(body, "the event data or CloudEvent");
            return calls.async(() -> engine.fireTrigger(name, data))
                    .map(receipt -> Reply.json(202, TriggerRepresentations.fired(receipt)));
        });
        routes.get("/rules", (ctx, body) ->
                calls.blocking(engine::rules).map(list -> Reply.ok(TriggerRepresentations.rules(list))));
        routes.post("/rules/{name}/enable", (ctx, body) -> setEnabled(ctx.pathParam("name"), true));
        routes.post("/rules/{name}/disable", (ctx, body) -> setEnabled(ctx.pathParam("name"), false));
    }

    private io.vertx.core.Future<Reply> setEnabled(String name, boolean enabled) {
        return calls.blocking(() -> engine.setRuleEnabled(name, enabled)).map(rule -> Reply.ok(TriggerRepresentations.rule(rule)));
    }
}
