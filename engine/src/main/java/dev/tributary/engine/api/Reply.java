package dev.tributary.engine.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a route answers: status, content type, body and extra headers. */
record Reply(int status, String contentType, Buffer body, Map<String, String> headers) {

    static final String JSON = "application/json";
    private static final ObjectMapper WRITER = new ObjectMapper();

    Reply {
        headers = Map.copyOf(headers);
    }

    static Reply json(int status, JsonNode body) {
        try {
            return new Reply(status, JSON, Buffer.buffer(WRITER.writeValueAsBytes(body)), Map.of());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Expected to write a JSON tree, but Jackson refused", e);
        }
    }

    static Reply ok(JsonNode body) {
        return json(200, body);
    }

    static Reply text(int status, String contentType, Buffer body) {
        return new Reply(status, contentType, body, Map.of());
    }

    static Reply noContent() {
        return new Reply(204, null, Buffer.buffer(), Map.of());
    }

    Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, contentType, body, more);
    }

    Future<Void> send(RoutingContext ctx) {
        HttpServerResponse response = ctx.response().setStatusCode(status);
        if (contentType != null) {
            response.putHeader("Content-Type", contentType);
        }
        // API answers are per-caller and may hold run data: never cache them, never let a browser sniff them.
        response.putHeader("Cache-Control", "no-store");
        response.putHeader("X-Content-Type-Options", "nosniff");
        headers.forEach(response::putHeader);
        return response.end(body);
    }
}
