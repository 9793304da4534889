package dev.tributary.functions.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.tributary.dsl.expr.ExpressionError;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.functions.Execution;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.FunctionRuntime;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Job;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code http} runtime (SPEC §2.3): sends the input as JSON to the function's {@code url} with
 * its {@code method} (POST by default; a GET carries no body) and headers, and takes the JSON
 * response as the result. Every hop is checked by the {@link AddressPolicy} before it is sent;
 * redirects are followed here, at most {@value #MAX_REDIRECTS}: 307 and 308 repeat the method and
 * body, 301, 302 and 303 become a GET without body as browsers do, and the function's own headers
 * (credentials, typically) go only to the origin of its {@code url}. A non-2xx answer, a body
 * that is not JSON and a body over the result limit (read no further) fail the activation; the
 * job's timeout covers the whole chain. The log lists the hops.
 */
public final class HttpRuntime implements FunctionRuntime {

    public static final int MAX_REDIRECTS = 5;

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int SHOWN_BODY_CHARS = 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Clock clock;
    private final AddressPolicy addresses;
    private final HeaderResolver headers;
    private final long maxResultBytes;
    private final HttpClient client;
    private final ExecutorService lookups;

    /** Constant headers only, results up to 1 MiB. */
    public HttpRuntime(Clock clock, AddressPolicy addresses) {
        this(clock, addresses, HeaderResolver.CONSTANTS, 1L << 20);
    }

    public HttpRuntime(Clock clock, AddressPolicy addresses, HeaderResolver headers, long maxResultBytes) {
        this.clock = clock;
        this.addresses = addresses;
        this.headers = headers;
        this.maxResultBytes = maxResultBytes;
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

    @Override
    public CompletableFuture<Execution> invoke(Job job) {
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        FunctionDef function = job.function();
        Map<String, String> own;
        try {
            own = headers.headers(function);
        } catch (ExpressionError e) {
            return answered(fail(FailureTypes.EXPRESSION_ERROR, e.getMessage()), startedAt, start, "");
        } catch (RuntimeException e) {
            return answered(fail(FailureTypes.FUNCTION_ERROR, e.getMessage()), startedAt, start, "");
        }
        Exchange exchange;
        try {
            exchange = new Exchange(function, own, JSON.writeValueAsBytes(job.input()), System.nanoTime() + job.timeout().toNanos());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Expected a JSON tree to be writable, but " + e.getMessage(), e);
        }
        URI url = URI.create(function.http().url());
        return exchange.hop(url, function.http().method(), true, 0)
                .orTimeout(job.timeout().toNanos(), TimeUnit.NANOSECONDS)
                .handle((result, error) -> {
                    if (error == null) {
                        return result;
                    }
                    exchange.cancel();
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    return cause instanceof TimeoutException || cause instanceof HttpTimeoutException
                            ? fail(FailureTypes.TIMEOUT, "http function '" + function.name() + "' did not get an answer within "
                                    + job.timeout())
                            : fail(FailureTypes.FUNCTION_ERROR, "Expected http function '" + function.name() + "' to get an answer to "
                                    + exchange.current() + ", but " + describe(cause));
                })
                .thenApply(result -> new Execution(result, startedAt, since(start), false, exchange.log()));
    }

    /** One activation's requests: the hops of a redirect chain, one at a time. */
    private final class Exchange {
        private final FunctionDef function;
        private final Map<String, String> ownHeaders;
        private final byte[] input;
        private final long deadlineNanos;
        private final URI origin;
        private final AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();
        private final StringBuilder log = new StringBuilder();
        private volatile String current;

        Exchange(FunctionDef function, Map<String, String> ownHeaders, byte[] input, long deadlineNanos) {
            this.function = function;
            this.ownHeaders = ownHeaders;
            this.input = input;
            this.deadlineNanos = deadlineNanos;
            this.origin = origin(URI.create(function.http().url()));
        }

        CompletableFuture<InvocationResult> hop(URI url, String method, boolean withBody, int redirects) {
            current = method + " " + url;
            CompletableFuture<Optional<String>> checked = CompletableFuture.supplyAsync(() -> refusal(url), lookups);
            inFlight.set(checked);
            return checked.thenCompose(refused -> {
                if (refused.isPresent()) {
                    return CompletableFuture.completedFuture(fail(FailureTypes.FUNCTION_ERROR, refused.get()));
                }
                HttpRequest request;
                try {
                    request = request(url, method, withBody);
                } catch (IllegalArgumentException e) {
                    return CompletableFuture.completedFuture(fail(FailureTypes.FUNCTION_ERROR, "Expected http function '"
                            + function.name() + "' to send headers it may set, but " + e.getMessage()));
                }
                long sent = System.nanoTime();
                CompletableFuture<HttpResponse<CappedBody.Bytes>> response = client.sendAsync(request, CappedBody.upTo(maxResultBytes));
                inFlight.set(response);
                return response.thenCompose(r -> {
                    logHop(method, url, r.statusCode(), sent);
                    return answer(url, method, withBody, redirects, r);
                });
            });
        }

        private CompletableFuture<InvocationResult> answer(URI url, String method, boolean withBody, int redirects,
                                                           HttpResponse<CappedBody.Bytes> response) {
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (REDIRECTS.contains(status) && location.isPresent()) {
                if (redirects == MAX_REDIRECTS) {
                    return CompletableFuture.completedFuture(fail(FailureTypes.FUNCTION_ERROR, "http function '" + function.name()
                            + "': " + method + " " + url + " redirected a " + (MAX_REDIRECTS + 1) + "th time; at most "
                            + MAX_REDIRECTS + " redirects are followed"));
                }
                URI next;
                try {
                    next = url.resolve(location.get());
                } catch (IllegalArgumentException e) {
                    next = null;
                }
                if (next == null || !("http".equalsIgnoreCase(next.getScheme()) || "https".equalsIgnoreCase(next.getScheme()))
                        || next.getHost() == null) {
                    return CompletableFuture.completedFuture(fail(FailureTypes.FUNCTION_ERROR, "Expected http function '"
                            + function.name() + "' to be redirected to an http(s) URL, but " + method + " " + url
                            + " answered " + status + " with Location: " + location.get()));
                }
                boolean keepsMethod = status == 307 || status == 308;
                return hop(next, keepsMethod ? method : "GET", keepsMethod && withBody, redirects + 1);
            }
            return CompletableFuture.completedFuture(result(method, url, status, response.body()));
        }

        private InvocationResult result(String method, URI url, int status, CappedBody.Bytes body) {
            String request = method + " " + url;
            if (status < 200 || status > 299) {
                return fail(FailureTypes.FUNCTION_ERROR, "http function '" + function.name() + "': " + request + " answered "
                        + status + (body.bytes().length == 0 ? " with no body" : ": " + shown(body.bytes())));
            }
            if (body.cut()) {
                return fail(FailureTypes.LIMIT_EXCEEDED, "the result of http function '" + function.name() + "' (" + request
                        + ") is over the limit 'function result' of " + maxResultBytes + " bytes");
            }
            if (new String(body.bytes(), StandardCharsets.UTF_8).isBlank()) {
                return new InvocationResult.Success(NullNode.getInstance());
            }
            try {
                return new InvocationResult.Success(JSON.readTree(body.bytes()));
            } catch (IOException e) {
                return fail(FailureTypes.FUNCTION_ERROR, "Expected http function '" + function.name() + "' to answer JSON, but "
                        + request + " answered " + status + " with: " + shown(body.bytes()));
            }
        }

        private HttpRequest request(URI url, String method, boolean withBody) {
            HttpRequest.BodyPublisher body = withBody && !"GET".equals(method)
                    ? HttpRequest.BodyPublishers.ofByteArray(input)
                    : HttpRequest.BodyPublishers.noBody();
            HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                    .method(method, body)
                    .timeout(remaining())
                    .header("Accept", "application/json");
            if (withBody && !"GET".equals(method)) {
                builder.header("Content-Type", "application/json");
            }
            if (origin(url).equals(origin)) {
                ownHeaders.forEach(builder::setHeader);
            }
            return builder.build();
        }

        /** The refusal message for {@code url}'s host, or empty when it may be asked. */
        private Optional<String> refusal(URI url) {
            String host = url.getHost();
            int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
            try {
                return addresses.check(host, port).map(refused -> "Expected a public address for http function '"
                        + function.name() + "', but " + refused.describe()
                        + "; start the server with --allow-private-http to allow it");
            } catch (UnknownHostException e) {
                return Optional.of("Expected http function '" + function.name() + "' to reach " + host
                        + ", but that name does not resolve");
            }
        }

        private Duration remaining() {
            return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
        }

        private synchronized void logHop(String method, URI url, int status, long sentNanos) {
            log.append(method).append(' ').append(url).append(" -> ").append(status)
                    .append(" (").append((System.nanoTime() - sentNanos) / 1_000_000).append(" ms)\n");
        }

        synchronized String log() {
            return log.toString();
        }

        String current() {
            return current;
        }

        void cancel() {
            CompletableFuture<?> running = inFlight.get();
            if (running != null) {
                running.cancel(true);
            }
        }
    }

    private static URI origin(URI url) {
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return URI.create(url.getScheme().toLowerCase() + "://" + url.getHost().toLowerCase() + ":" + port);
    }

    private static String shown(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > SHOWN_BODY_CHARS ? text.substring(0, SHOWN_BODY_CHARS) + "..." : text;
    }

    private static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    private static InvocationResult fail(String type, String message) {
        return new InvocationResult.Failure(type, message);
    }

    private CompletableFuture<Execution> answered(InvocationResult result, Instant startedAt, long start, String log) {
        return CompletableFuture.completedFuture(new Execution(result, startedAt, since(start), false, log));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
