package dev.tributary.functions.http;

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
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code http} runtime (SPEC §2.3): sends the input as JSON to the function's {@code url} with
 * its {@code method} (POST by default; a GET carries no body) and headers, and takes the JSON
 * response as the result. The hops, the SSRF guard and the redirects are the
 * {@link GuardedHttpClient}'s; the function's own headers go only to the origin of its
 * {@code url}. A non-2xx answer, a body that is not JSON and a body over the result limit (read no
 * further) fail the activation; the job's timeout covers the whole chain. The log lists the hops.
 */
public final class HttpRuntime implements FunctionRuntime {

    public static final int MAX_REDIRECTS = GuardedHttpClient.MAX_REDIRECTS;

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int SHOWN_BODY_CHARS = 1024;

    private final Clock clock;
    private final HeaderResolver headers;
    private final long maxResultBytes;
    private final GuardedHttpClient client;

    /** Constant headers only, results up to 1 MiB. */
    public HttpRuntime(Clock clock, AddressPolicy addresses) {
        this(clock, addresses, HeaderResolver.CONSTANTS, 1L << 20);
    }

    public HttpRuntime(Clock clock, AddressPolicy addresses, HeaderResolver headers, long maxResultBytes) {
        this.clock = clock;
        this.headers = headers;
        this.maxResultBytes = maxResultBytes;
        this.client = new GuardedHttpClient(addresses);
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
        String method = function.http().method();
        byte[] input;
        try {
            input = "GET".equals(method) ? null : JSON.writeValueAsBytes(job.input());
        } catch (IOException e) {
            throw new IllegalStateException("Expected a JSON tree to be writable, but " + e.getMessage(), e);
        }
        String who = "http function '" + function.name() + "'";
        GuardedHttpClient.Exchange exchange = client.send(who, new GuardedHttpClient.Request(URI.create(function.http().url()),
                method, input, "application/json", Map.of("Accept", "application/json"), own, maxResultBytes, job.timeout()));
        return exchange.answer()
                .orTimeout(job.timeout().toNanos(), TimeUnit.NANOSECONDS)
                .handle((answer, error) -> {
                    if (error == null) {
                        return answer instanceof GuardedHttpClient.Answer.Response response
                                ? result(function, response)
                                : fail(FailureTypes.FUNCTION_ERROR, ((GuardedHttpClient.Answer.Refused) answer).message());
                    }
                    exchange.cancel();
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    return cause instanceof TimeoutException || cause instanceof HttpTimeoutException
                            ? fail(FailureTypes.TIMEOUT, who + " did not get an answer within " + job.timeout())
                            : fail(FailureTypes.FUNCTION_ERROR, "Expected " + who + " to get an answer to "
                                    + exchange.current() + ", but " + GuardedHttpClient.describe(cause));
                })
                .thenApply(result -> new Execution(result, startedAt, since(start), false, exchange.log()));
    }

    private InvocationResult result(FunctionDef function, GuardedHttpClient.Answer.Response response) {
        String request = response.request();
        int status = response.status();
        byte[] body = response.body();
        if (status < 200 || status > 299) {
            return fail(FailureTypes.FUNCTION_ERROR, "http function '" + function.name() + "': " + request + " answered "
                    + status + (body.length == 0 ? " with no body" : ": " + shown(body)));
        }
        if (response.cut()) {
            return fail(FailureTypes.LIMIT_EXCEEDED, "the result of http function '" + function.name() + "' (" + request
                    + ") is over the limit 'function result' of " + maxResultBytes + " bytes");
        }
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            return new InvocationResult.Success(NullNode.getInstance());
        }
        try {
            return new InvocationResult.Success(JSON.readTree(body));
        } catch (IOException e) {
            return fail(FailureTypes.FUNCTION_ERROR, "Expected http function '" + function.name() + "' to answer JSON, but "
                    + request + " answered " + status + " with: " + shown(body));
        }
    }

    private static String shown(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > SHOWN_BODY_CHARS ? text.substring(0, SHOWN_BODY_CHARS) + "..." : text;
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
