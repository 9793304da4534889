package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.connectors.queue.QueueStats;
import dev.tributary.engine.node.Engine;

/** {@code /queues/{name}}: send a message to a built-in queue (202 once durable), and its counts. */
final class QueueRoutes {

    private final Engine engine;
    private final EngineCalls calls;
    private final JsonBodies json;

    QueueRoutes(Engine engine, EngineCalls calls, JsonBodies json) {
        this.engine = engine;
        this.calls = calls;
        this.json = json;
    }

    void mount(ApiRoutes routes) {
        routes.post("/queues/{name}/messages", (ctx, body) -> {
            String name = ctx.pathParam("name");
            MediaTypes.requireJson(ctx.request(), "the message");
            JsonNode message = field(json.parse(body, "the message"), "message", "{\"message\": <any JSON>}");
            return calls.blocking(() -> engine.sendMessage(name, message))
                    .map(id -> Reply.json(202, JsonNodeFactory.instance.objectNode().put("id", id)));
        });
        routes.get("/queues/{name}", (ctx, body) -> {
            String name = ctx.pathParam("name");
            return calls.blocking(() -> engine.queueStats(name)).map(stats -> Reply.ok(stats(stats)));
        });
    }

    /** A required, non-null member of a JSON object body; {@code shape} shows the caller what to send. */
    static JsonNode field(JsonNode body, String name, String shape) {
        if (!body.isObject()) {
            throw ApiError.badRequest("Expected a JSON object " + shape + ", but the body is a " + body.getNodeType().name().toLowerCase());
        }
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            throw ApiError.badRequest("Expected '" + name + "' in the body " + shape + ", but it is " + (value == null ? "missing" : "null"));
        }
        return value;
    }

    private static JsonNode stats(QueueStats stats) {
        return JsonNodeFactory.instance.objectNode()
                .put("name", stats.name())
                .put("depth", stats.depth())
                .put("inFlight", stats.inFlight())
                .put("delayed", stats.delayed())
                .put("deadLettered", stats.deadLettered());
    }
}
