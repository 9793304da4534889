package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.engine.node.Engine;
import dev.tributary.engine.store.SecretInfo;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * {@code /secrets}: set one ({@code PUT}, answered 204), list the names, remove one. A value goes in
 * and never comes out: no answer, and no error message, repeats it.
 */
final class SecretRoutes {

    private static final String BODY_SHAPE = "{\"value\": \"...\"}";

    private final Engine engine;
    private final EngineCalls calls;
    private final JsonBodies json;

    SecretRoutes(Engine engine, EngineCalls calls, JsonBodies json) {
        this.engine = engine;
        this.calls = calls;
        this.json = json;
    }

    void mount(ApiRoutes routes) {
        routes.get("/secrets", (ctx, body) -> calls.blocking(engine::secrets).map(list -> Reply.ok(secrets(list))));
        routes.put("/secrets/{name}", (ctx, body) -> {
            String name = ctx.pathParam("name");
            MediaTypes.requireJson(ctx.request(), "the secret");
            String value = value(body, name);
            return calls.blocking(() -> {
                engine.putSecret(name, value);
                return Reply.noContent();
            });
        });
        routes.delete("/secrets/{name}", (ctx, body) -> {
            String name = ctx.pathParam("name");
            return calls.blocking(() -> engine.deleteSecret(name)).map(deleted -> {
                if (!deleted) {
                    throw ApiError.notFound("There is no secret '" + name + "'; GET /api/v1/secrets lists the stored ones");
                }
                return Reply.noContent();
            });
        });
    }

    /** The {@code value} of the body; a refusal says what is wrong with the body without quoting any of it. */
    private String value(Buffer body, String name) {
        JsonNode parsed;
        try {
            parsed = json.parse(body, "the secret");
        } catch (ApiError e) {
            // the parser's own words may quote the text it stumbled on, which could be the value
            throw ApiError.badRequest("Expected secret '" + name + "' as JSON " + BODY_SHAPE + ", but the body is not valid JSON"
                    + " (or is nested too deep)");
        }
        JsonNode value = parsed.path("value");
        if (!parsed.isObject() || !value.isTextual() || parsed.size() != 1) {
            throw ApiError.badRequest("Expected secret '" + name + "' as JSON " + BODY_SHAPE
                    + " (one field, the value as a string), but the body is not of that shape");
        }
        return value.textValue();
    }

    private static ObjectNode secrets(List<SecretInfo> list) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode secrets = json.putArray("secrets");
        list.forEach(s -> secrets.addObject().put("name", s.name()).put("updatedAt", s.updatedAt().toString()));
        return json;
    }
}
