package dev.tributary.engine.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Collects a request body up to the configured limit. A declared {@code Content-Length} past the
 * limit is refused before a byte of the body is read; a chunked body is refused, and reading
 * stops, as soon as it passes the limit. Either way at most {@code limit} bytes are ever held.
 *
 * <p>It must run in the same event-loop turn the request arrived in (before any asynchronous
 * step), because Vert.x delivers body chunks only to a handler that is already set.
 */
final class BodyReader {

    private final long limit;

    BodyReader(long limit) {
        this.limit = limit;
    }

    Future<Buffer> read(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
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
                return Future.failedFuture(ApiError.bodyTooLarge(limit));
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
                done.tryFail(ApiError.bodyTooLarge(limit));
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
