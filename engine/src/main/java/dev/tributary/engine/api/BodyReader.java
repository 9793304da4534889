package dev.tributary.engine.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Collects a request body up to the configured limit. A declared {@code Content-Length} past the
 * limit is refused before a byte of the body is read; a chunked body is refused, and reading
 * stops, as soon as it passes the limit. Either way at most {@code limit} bytes are ever held.
 *
 * <p>It must run in the same event-loop turn the request arrived in (before any asynchronous
 * step), because Vert.x delivers body chunks only to a handler that is already set.
 */
final class BodyReader {

    static final String REQUEST_BODY = "request body";

    /** How large a body may be and what the limit is called in the refusal. */
    record Limit(long bytes, String name) {
    }

    private final Function<HttpServerRequest, Limit> limits;

    /** One limit, the {@code request body} limit, for every request. */
    BodyReader(long limit) {
        this(request -> new Limit(limit, REQUEST_BODY));
    }

    /** A limit chosen per request from its head (e.g. by Content-Type), before a byte of the body is read. */
    BodyReader(Function<HttpServerRequest, Limit> limits) {
        this.limits = limits;
    }

    Future<Buffer> read(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Limit chosen = limits.apply(request);
        long limit = chosen.bytes();
        String declared = request.getHeader("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                return Future.failedFuture(ApiError.badRequest("Expected Content-Length to be a number of bytes, but it is '"
                        + declared + "'"));
            }
            if (length > limit) {
                return Future.failedFuture(ApiError.bodyTooLarge(limit, chosen.name()));
            }
        }
        if (request.isEnded()) {
            return Future.succeededFuture(Buffer.buffer());
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect")) && request.version() != HttpVersion.HTTP_1_0) {
            // The size check above passed, so invite the body (curl waits a second otherwise).
            ctx.response().writeContinue();
        }
        Promise<Buffer> done = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (done.future().isComplete()) {
                return;
            }
            if ((long) body.length() + chunk.length() > limit) {
                request.pause();
                done.tryFail(ApiError.bodyTooLarge(limit, chosen.name()));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> done.tryComplete(body));
        request.exceptionHandler(e -> done.tryFail(ApiError.badRequest("The request body could not be read: " + e.getMessage())));
        request.resume();
        return done.future();
    }
}
