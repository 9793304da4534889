package dev.tributary.functions.http;

import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Outgoing HTTP on behalf of user code, shared by the {@code http} runtime and the
 * {@code http.request} connector: every hop is checked by the {@link AddressPolicy} before it is
 * sent (the JDK client never follows a redirect itself, and never uses a proxy, so the checked
 * address is the one connected to). Redirects are followed here, at most {@value #MAX_REDIRECTS}:
 * 307 and 308 repeat the method and body, 301, 302 and 303 become a GET without body as browsers
 * do. The caller's own headers (credentials, typically) go only to the origin of the first URL;
 * a GET never carries a body. A response body is read up to a limit and no further.
 */
public final class GuardedHttpClient {

    public static final int MAX_REDIRECTS = 5;

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What to send.
     *
     * @param body         null for none
     * @param contentType  sent with the body
     * @param everyHop     headers for every hop (e.g. {@code Accept})
     * @param originOnly   headers only for hops to the first URL's origin
     * @param maxBodyBytes how much of the answer's body is read
     * @param timeout      bounds every hop's request; the caller bounds the whole chain
     */
    public record Request(URI url, String method, byte[] body, String contentType, Map<String, String> everyHop,
                          Map<String, String> originOnly, long maxBodyBytes, Duration timeout) {

        public Request {
            everyHop = Map.copyOf(everyHop);
            originOnly = Map.copyOf(originOnly);
        }
    }

    /** How an exchange ended: the last hop's answer, or why no request (or no further one) was sent. */
    public sealed interface Answer {

        /** @param cut whether the body is only the first {@code maxBodyBytes} */
        record Response(String method, URI url, int status, HttpHeaders headers, byte[] body, boolean cut) implements Answer {

            public String request() {
                return method + " " + url;
            }
        }

        /** An address the policy refuses, a name that does not resolve, too many redirects, a header the client may not set. */
        record Refused(String message) implements Answer {
        }
    }

    private final AddressPolicy addresses;
    private final HttpClient client;
    private final ExecutorService lookups;

    public GuardedHttpClient(AddressPolicy addresses) {
        this.addresses = addresses;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER) // each hop is checked here first
                .proxy(HttpClient.Builder.NO_PROXY) // a proxy would make the checked address not the one connected to
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        // Name lookups block; they get threads of their own that end when idle.
        AtomicInteger count = new AtomicInteger();
        this.lookups = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "http-function-lookup-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public AddressPolicy addresses() {
        return addresses;
    }

    /**
     * Starts sending {@code request}. The answer completes exceptionally when a hop fails to
     * connect or times out ({@link java.net.http.HttpTimeoutException}).
     *
     * @param who the caller in messages, e.g. {@code http function 'f'}
     */
    public Exchange send(String who, Request request) {
        Exchange exchange = new Exchange(who, request);
        exchange.answer = exchange.hop(request.url(), request.method(), request.body() != null, 0);
        return exchange;
    }

    /** One request's hops, one at a time, with a log of them. */
    public final class Exchange {
        private final String who;
        private final Request request;
        private final long deadlineNanos;
        private final URI origin;
        private final AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();
        private final StringBuilder log = new StringBuilder();
        private volatile String current;
        private CompletableFuture<Answer> answer;

        private Exchange(String who, Request request) {
            this.who = who;
            this.request = request;
            this.deadlineNanos = System.nanoTime() + request.timeout().toNanos();
            this.origin = origin(request.url());
        }

        public CompletableFuture<Answer> answer() {
            return answer;
        }

        /** {@code METHOD url -> status (n ms)}, a line per hop answered. */
        public synchronized String log() {
            return log.toString();
        }

        /** The hop being sent: {@code METHOD url}. */
        public String current() {
            return current;
        }

        /** Stops the hop in flight (after the caller's timeout). */
        public void cancel() {
            CompletableFuture<?> running = inFlight.get();
            if (running != null) {
                running.cancel(true);
            }
        }

        private CompletableFuture<Answer> hop(URI url, String method, boolean withBody, int redirects) {
            current = method + " " + url;
            CompletableFuture<Optional<String>> checked = CompletableFuture.supplyAsync(() -> refusal(url), lookups);
            inFlight.set(checked);
            return checked.thenCompose(refused -> {
                if (refused.isPresent()) {
                    return refused(refused.get());
                }
                HttpRequest built;
                try {
                    built = build(url, method, withBody);
                } catch (IllegalArgumentException e) {
                    return refused("Expected " + who + " to send headers it may set, but " + e.getMessage());
                }
                long sent = System.nanoTime();
                CompletableFuture<HttpResponse<CappedBody.Bytes>> response = client.sendAsync(built, CappedBody.upTo(request.maxBodyBytes()));
                inFlight.set(response);
                return response.thenCompose(r -> {
                    logHop(method, url, r.statusCode(), sent);
                    return next(url, method, withBody, redirects, r);
                });
            });
        }

        private CompletableFuture<Answer> next(URI url, String method, boolean withBody, int redirects,
                                               HttpResponse<CappedBody.Bytes> response) {
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (!REDIRECTS.contains(status) || location.isEmpty()) {
                return CompletableFuture.completedFuture(new Answer.Response(method, url, status, response.headers(),
                        response.body().bytes(), response.body().cut()));
            }
            if (redirects == MAX_REDIRECTS) {
                return refused(who + ": " + method + " " + url + " redirected a " + (MAX_REDIRECTS + 1) + "th time; at most "
                        + MAX_REDIRECTS + " redirects are followed");
            }
            URI next;
            try {
                next = url.resolve(location.get());
            } catch (IllegalArgumentException e) {
                next = null;
            }
            if (next == null || !("http".equalsIgnoreCase(next.getScheme()) || "https".equalsIgnoreCase(next.getScheme()))
                    || next.getHost() == null) {
                return refused("Expected " + who + " to be redirected to an http(s) URL, but " + method + " " + url
                        + " answered " + status + " with Location: " + location.get());
            }
            boolean keepsMethod = status == 307 || status == 308;
            return hop(next, keepsMethod ? method : "GET", keepsMethod && withBody, redirects + 1);
        }

        private HttpRequest build(URI url, String method, boolean withBody) {
            boolean sendsBody = withBody && !"GET".equals(method);
            HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                    .method(method, sendsBody ? HttpRequest.BodyPublishers.ofByteArray(request.body()) : HttpRequest.BodyPublishers.noBody())
                    .timeout(remaining());
            request.everyHop().forEach(builder::setHeader);
            if (sendsBody && request.contentType() != null) {
                builder.setHeader("Content-Type", request.contentType());
            }
            if (origin(url).equals(origin)) {
                request.originOnly().forEach(builder::setHeader);
            }
            return builder.build();
        }

        /** The refusal message for {@code url}'s host, or empty when it may be asked. */
        private Optional<String> refusal(URI url) {
            String host = url.getHost();
            try {
                return addresses.check(host, port(url)).map(refused -> "Expected a public address for " + who + ", but "
                        + refused.describe() + "; start the server with --allow-private-http to allow it");
            } catch (UnknownHostException e) {
                return Optional.of("Expected " + who + " to reach " + host + ", but that name does not resolve");
            }
        }

        private Duration remaining() {
            return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
        }

        private synchronized void logHop(String method, URI url, int status, long sentNanos) {
            log.append(method).append(' ').append(url).append(" -> ").append(status)
                    .append(" (").append((System.nanoTime() - sentNanos) / 1_000_000).append(" ms)\n");
        }
    }

    /** Why a hop failed, for a message: the exception's class and message. */
    public static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    private static CompletableFuture<Answer> refused(String message) {
        return CompletableFuture.completedFuture(new Answer.Refused(message));
    }

    private static int port(URI url) {
        return url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    private static URI origin(URI url) {
        return URI.create(url.getScheme().toLowerCase() + "://" + url.getHost().toLowerCase() + ":" + port(url));
    }
}
