package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.engine.node.EngineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever made a request fail into the SPEC §5 envelope
 * {@code {"error":{"code","message","details"}}}. Refusals ({@link ApiError},
 * {@link EngineException}) keep their words; anything else is a bug: it is logged here with an
 * id and answered as a bare 500 carrying only that id, so no stack trace or class name leaks.
 */
final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    /** The router's failure handler: for failed routes, unknown routes (404) and wrong methods (405). */
    static void handle(RoutingContext ctx) {
        ApiError error = toApiError(ctx, ctx.failure(), ctx.statusCode());
        write(ctx, error);
    }

    static ApiError toApiError(RoutingContext ctx, Throwable failure, int status) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ApiError api) {
            return api;
        }
        if (cause instanceof EngineException engine) {
            return fromEngine(engine);
        }
        if (cause == null && status == 404) {
            return ApiError.notFound("There is no route " + ctx.request().method() + " " + ctx.request().path()
                    + "; see /api/v1/openapi.yaml for the routes this server has");
        }
        if (cause == null && status == 405) {
            return new ApiError(405, "method_not_allowed", "The route " + ctx.request().path() + " does not take "
                    + ctx.request().method() + "; see /api/v1/openapi.yaml");
        }
        if (cause == null && status >= 400 && status < 500) {
            return new ApiError(status, "bad_request", "The request was refused (HTTP " + status + ")");
        }
        return internal(ctx, cause);
    }

    static ApiError fromEngine(EngineException e) {
        return switch (e.code()) {
            case INVALID_DEFINITION -> new ApiError(400, "invalid_definition", e.getMessage(), e.details(), false);
            case BAD_REQUEST -> new ApiError(400, "bad_request", e.getMessage(), e.details(), false);
            case NOT_FOUND -> new ApiError(404, "not_found", e.getMessage(), e.details(), false);
            case CONFLICT -> new ApiError(409, "conflict", e.getMessage(), e.details(), false);
            // SPEC §4: an input, event or result past its size limit is a 413, whatever layer noticed it.
            case LIMIT_EXCEEDED -> new ApiError(413, "limit_exceeded", e.getMessage(), e.details(), false);
            case INPUT_INVALID -> new ApiError(422, "input_invalid", e.getMessage(), e.details(), false);
            case UNAVAILABLE -> new ApiError(503, "unavailable", e.getMessage(), e.details(), false);
        };
    }

    private static ApiError internal(RoutingContext ctx, Throwable cause) {
        String id = UUID.randomUUID().toString().substring(0, 13);
        LOG.error("Internal error {} answering {} {}", id, ctx.request().method(), ctx.request().path(), cause);
        ObjectNode detail = JsonNodeFactory.instance.objectNode().put("errorId", id);
        return new ApiError(500, "internal", "The server failed to answer this request; the server log has the cause under error id "
                + id, List.of(detail), false);
    }

    /** Futures from other threads wrap the exception the engine threw. */
    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static JsonNode envelope(ApiError error) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode body = root.putObject("error");
        body.put("code", error.code());
        body.put("message", error.getMessage());
        body.putArray("details").addAll(error.details());
        return root;
    }

    static void write(RoutingContext ctx, ApiError error) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            // Too late for an error body: the status line is out. Dropping the connection is the only honest signal.
            ctx.request().connection().close();
            return;
        }
        Reply reply = Reply.json(error.status(), envelope(error));
        if (error.status() == 401) {
            reply = reply.withHeader("WWW-Authenticate", "Bearer realm=\"tributary\"");
        }
        boolean http1 = ctx.request().version() != HttpVersion.HTTP_2;
        if (error.closeConnection() && http1) {
            reply = reply.withHeader("Connection", "close");
        }
        reply.send(ctx).onComplete(done -> {
            if (error.closeConnection() && http1) {
                closeAfterDraining(ctx);
            }
        });
    }

    /** Most of a refused body we read and drop so the client gets to read the answer, and how long we wait for it. */
    private static final long DRAIN_BYTES = 64L << 20;
    private static final long DRAIN_MILLIS = 2_000;

    /**
     * Closes the connection once the client has finished sending (or after a bound). Closing while
     * the client is still sending makes the kernel reset the connection, and a reset can destroy
     * the answer before the client reads it ("lingering close", as HTTP servers do).
     */
    private static void closeAfterDraining(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        long[] drained = {0};
        long timer = ctx.vertx().setTimer(DRAIN_MILLIS, t -> request.connection().close());
        request.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > DRAIN_BYTES) {
                ctx.vertx().cancelTimer(timer);
                request.connection().close();
            }
        });
        request.endHandler(v -> {
            ctx.vertx().cancelTimer(timer);
            request.connection().close();
        });
        request.exceptionHandler(e -> ctx.vertx().cancelTimer(timer));
        request.resume();
    }
}
