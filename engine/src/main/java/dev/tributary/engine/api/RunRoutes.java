package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.time.Durations;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.node.Engine;
import dev.tributary.engine.node.RunView;
import dev.tributary.engine.store.RunQuery;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Starting runs, and reading, listing and cancelling them. */
final class RunRoutes {

    static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    /** A waiting request holds a connection; past this, poll {@code GET /runs/{id}} instead. */
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private final Engine engine;
    private final EngineCalls calls;
    private final JsonBodies json;

    RunRoutes(Engine engine, EngineCalls calls, JsonBodies json) {
        this.engine = engine;
        this.calls = calls;
        this.json = json;
    }

    void mount(ApiRoutes routes) {
        routes.post("/workflows/{name}/runs", this::start);
        routes.get("/runs", this::list);
        routes.get("/runs/{id}", (ctx, body) -> {
            String id = ctx.pathParam("id");
            return calls.blocking(() -> {
                RunView run = engine.run(id).orElseThrow(() -> noRun(id));
                return Representations.runWithCost(run, engine.runCost(id));
            }).map(Reply::ok);
        });
        routes.get("/runs/{id}/history", (ctx, body) -> {
            String id = ctx.pathParam("id");
            return calls.blocking(() -> engine.history(id)).map(events -> Reply.ok(Representations.history(events)));
        });
        routes.post("/runs/{id}/cancel", (ctx, body) -> {
            String id = ctx.pathParam("id");
            return calls.async(() -> engine.cancel(id)).map(run -> Reply.ok(Representations.run(run)));
        });
    }

    /** 202 with the run as started; with {@code ?wait=} 200 once it has ended, or 202 as it is when the wait runs out. */
    private Future<Reply> start(RoutingContext ctx, Buffer body) {
        String workflow = ctx.pathParam("name");
        MediaTypes.requireJson(ctx.request(), "the run input");
        JsonNode input = json.parseOrEmptyObject(body, "the run input");
        String idempotencyKey = idempotencyKey(ctx.request().getHeader("Idempotency-Key"));
        Optional<Duration> wait = waitParam(ctx.queryParam("wait"));
        Future<RunView> started = calls.async(() -> engine.startRun(workflow, input, idempotencyKey));
        Future<RunView> answered = wait.isEmpty() ? started
                : started.compose(run -> run.status().isFinal()
                        ? Future.succeededFuture(run)
                        : calls.async(() -> engine.awaitEnd(run.id(), wait.get())));
        return answered.map(run -> Reply.json(run.status().isFinal() && wait.isPresent() ? 200 : 202, Representations.run(run))
                .withHeader("Location", RouteTemplate.BASE + "/runs/" + run.id()));
    }

    private Future<Reply> list(RoutingContext ctx, Buffer body) {
        RunQuery query = new RunQuery(
                QueryParameters.optional(ctx.queryParam("workflow"), "workflow"),
                status(QueryParameters.single(ctx.queryParam("status"), "status")),
                QueryParameters.limit(ctx.queryParam("limit")),
                QueryParameters.optional(ctx.queryParam("cursor"), "cursor"));
        return calls.blocking(() -> engine.runs(query)).map(list -> Reply.ok(Representations.runs(list)));
    }

    static ApiError noRun(String id) {
        return ApiError.notFound("There is no run '" + id + "'");
    }

    static String idempotencyKey(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String key = header.trim();
        if (key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw ApiError.badRequest("Expected an Idempotency-Key of at most " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " characters, but it has " + key.length());
        }
        return key;
    }

    /** {@code ?wait=30s} (any DSL duration); a bare {@code ?wait} waits the default 30s. */
    static Optional<Duration> waitParam(List<String> values) {
        String value = QueryParameters.single(values, "wait");
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            return Optional.of(DEFAULT_WAIT);
        }
        Duration wait;
        try {
            wait = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("Expected ?wait= to be a duration, but " + e.getMessage());
        }
        if (wait.compareTo(MAX_WAIT) > 0) {
            throw ApiError.badRequest("Expected ?wait= to be at most " + Durations.format(MAX_WAIT) + " (the longest a request may wait), but it is "
                    + value + "; poll GET /api/v1/runs/{id} for longer runs");
        }
        return Optional.of(wait);
    }

    private static RunStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return RunStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("Expected ?status= to be one of " + Arrays.toString(RunStatus.values()) + ", but it is '"
                    + value + "'");
        }
    }
}
