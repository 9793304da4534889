package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.stream.StreamStore;
import dev.tributary.engine.node.Engine;
import java.util.List;

/** {@code /streams/{name}}: put a record on a built-in stream (202 once durable), and its shards. */
final class StreamRoutes {

    private static final String SHAPE = "{\"partitionKey\": \"...\", \"data\": <any JSON>}";

    private final Engine engine;
    private final EngineCalls calls;
    private final JsonBodies json;

    StreamRoutes(Engine engine, EngineCalls calls, JsonBodies json) {
        this.engine = engine;
        this.calls = calls;
        this.json = json;
    }

    void mount(ApiRoutes routes) {
        routes.post("/streams/{name}/records", (ctx, body) -> {
            String name = ctx.pathParam("name");
            MediaTypes.requireJson(ctx.request(), "the record");
            JsonNode record = json.parse(body, "the record");
            JsonNode key = QueueRoutes.field(record, "partitionKey", SHAPE);
            if (!key.isTextual()) {
                throw ApiError.badRequest("Expected 'partitionKey' in the body " + SHAPE + " to be a string, but it is a "
                        + key.getNodeType().name().toLowerCase());
            }
            JsonNode data = QueueRoutes.field(record, "data", SHAPE);
            return calls.blocking(() -> engine.putRecord(name, key.asText(), data))
                    .map(appended -> Reply.json(202, JsonNodeFactory.instance.objectNode()
                            .put("sequence", appended.sequence()).put("shard", appended.shard())));
        });
        routes.get("/streams/{name}", (ctx, body) -> {
            String name = ctx.pathParam("name");
            return calls.blocking(() -> engine.streamShards(name)).map(shards -> Reply.ok(info(name, shards)));
        });
    }

    private static JsonNode info(String name, List<StreamStore.ShardInfo> shards) {
        ObjectNode info = JsonNodeFactory.instance.objectNode().put("name", name);
        ArrayNode list = info.putArray("shards");
        shards.forEach(s -> list.addObject().put("shard", s.shard()).put("latestSequence", s.latestSequence()));
        return info;
    }
}
