package dev.tributary.engine.api;

import dev.tributary.engine.node.Engine;
import dev.tributary.engine.store.ActivationQuery;
import dev.tributary.functions.Activation;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/** {@code /activations} (list, one with its logs) and {@code /usage} (GB-seconds and cost per function). */
final class ActivationRoutes {

    private final Engine engine;
    private final EngineCalls calls;

    ActivationRoutes(Engine engine, EngineCalls calls) {
        this.engine = engine;
        this.calls = calls;
    }

    void mount(ApiRoutes routes) {
        routes.get("/activations", (ctx, body) -> {
            ActivationQuery query = new ActivationQuery(
                    QueryParameters.optional(ctx.queryParam("function"), "function"),
                    QueryParameters.optional(ctx.queryParam("run"), "run"),
                    status(QueryParameters.optional(ctx.queryParam("status"), "status")),
                    QueryParameters.limit(ctx.queryParam("limit")),
                    QueryParameters.optional(ctx.queryParam("cursor"), "cursor"));
            return calls.blocking(() -> engine.activations(query)).map(page -> Reply.ok(Representations.activations(page)));
        });
        routes.get("/activations/{id}", (ctx, body) -> {
            String id = ctx.pathParam("id");
            return calls.blocking(() -> engine.activation(id)).map(found -> Reply.ok(Representations.activation(
                    found.orElseThrow(() -> ApiError.notFound("There is no activation '" + id + "'")), true)));
        });
        routes.get("/usage", (ctx, body) -> {
            Instant from = instant(ctx, "from");
            Instant to = instant(ctx, "to");
            return calls.blocking(() -> engine.usage(from, to)).map(report -> Reply.ok(Representations.usage(report)));
        });
    }

    private static Activation.Status status(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Activation.Status.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("Expected ?status= to be one of " + Arrays.stream(Activation.Status.values())
                    .map(Activation.Status::key).toList() + ", but it is '" + value + "'");
        }
    }

    /** An ISO-8601 instant such as {@code 2026-03-01T00:00:00Z}, or null when the parameter is absent. */
    private static Instant instant(RoutingContext ctx, String name) {
        String value = QueryParameters.optional(ctx.queryParam(name), name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("Expected ?" + name + "= to be an ISO-8601 instant such as 2026-03-01T00:00:00Z, but it is '"
                    + value + "'");
        }
    }
}
