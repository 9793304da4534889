package dev.tributary.functions.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a limit and stops reading past it (cancelling the rest), so a
 * huge or endless response costs at most the limit in memory.
 */
final class CappedBody implements HttpResponse.BodySubscriber<CappedBody.Bytes> {

    /** The body, or its first {@code max} bytes when {@code cut}. */
    record Bytes(byte[] bytes, boolean cut) {
    }

    private final long max;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<Bytes> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private CappedBody(long max) {
        this.max = max;
    }

    static HttpResponse.BodyHandler<Bytes> upTo(long max) {
        return response -> new CappedBody(max);
    }

    @Override
    public CompletionStage<Bytes> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            int room = (int) Math.min(Integer.MAX_VALUE, max - kept.size());
            int take = Math.min(room, buffer.remaining());
            byte[] chunk = new byte[take];
            buffer.get(chunk);
            kept.write(chunk, 0, take);
            if (buffer.hasRemaining()) {
                subscription.cancel();
                body.complete(new Bytes(kept.toByteArray(), true));
                return;
            }
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(new Bytes(kept.toByteArray(), false));
    }
}
