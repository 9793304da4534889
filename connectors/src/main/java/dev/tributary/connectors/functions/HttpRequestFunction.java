package dev.tributary.connectors.functions;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.functions.Execution;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.FunctionRuntime;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Job;
import dev.tributary.functions.http.AddressPolicy;
import dev.tributary.functions.http.GuardedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code http.request} (SPEC §6): {@code {url, method?, headers?, body?}} → {@code {status,
 * headers, body}}. The method defaults to GET; a string body is sent as text, any other JSON as
 * JSON (a {@code Content-Type} header says otherwise). Every answer is a result, a 404 or 500
 * included — only a refused address, a failed connection or the job's timeout fail the call. The
 * answer's body is JSON when its content type says so and it parses, else text, null when empty;
 * header names are lower-case, repeated values joined with ", ". The hops and the SSRF guard are
 * those of the {@code http} runtime ({@link GuardedHttpClient}); the given headers go only to the
 * URL's origin, not to a redirect elsewhere.
 */
public final class HttpRequestFunction implements FunctionRuntime {

    public static final String NAME = "http.request";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset=\"?([^\";]+)\"?");

    private final Clock clock;
    private final GuardedHttpClient client;
    private final long maxBodyBytes;

    /** @param maxBodyBytes the most of an answer's body read (the function result limit) */
    public HttpRequestFunction(Clock clock, AddressPolicy addresses, long maxBodyBytes) {
        this.clock = clock;
        this.client = new GuardedHttpClient(addresses);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public CompletableFuture<Execution> invoke(Job job) {
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        GuardedHttpClient.Request request;
        try {
            request = request(new ConnectorInput(NAME, job.input()), job);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ConnectorCall.execution(ConnectorCall.failure(NAME, e), startedAt, start, ""));
        }
        GuardedHttpClient.Exchange exchange = client.send(NAME, request);
        return exchange.answer()
                .orTimeout(job.timeout().toNanos(), TimeUnit.NANOSECONDS)
                .handle((answer, error) -> {
                    if (error == null) {
                        return answer instanceof GuardedHttpClient.Answer.Response response
                                ? result(response)
                                : new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, ((GuardedHttpClient.Answer.Refused) answer).message());
                    }
                    exchange.cancel();
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    return cause instanceof TimeoutException || cause instanceof HttpTimeoutException
                            ? new InvocationResult.Failure(FailureTypes.TIMEOUT, NAME + " did not get an answer to " + exchange.current()
                                    + " within " + job.timeout())
                            : new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, "Expected " + NAME + " to get an answer to "
                                    + exchange.current() + ", but " + GuardedHttpClient.describe(cause));
                })
                .thenApply(result -> ConnectorCall.execution(result, startedAt, start, exchange.log()));
    }

    private GuardedHttpClient.Request request(ConnectorInput in, Job job) {
        URI url = url(in.text("url"));
        String method = in.optionalText("method");
        method = method == null ? "GET" : method.trim().toUpperCase(Locale.ROOT);
        if (!method.matches("[A-Z]+")) {
            throw new ConnectorInput.Invalid("Expected 'method' in the input of " + NAME + " to be an HTTP method such as GET or POST, but it is '"
                    + method + "'");
        }
        Map<String, String> headers = headers(in);
        String contentType = removeIgnoringCase(headers, "Content-Type");
        JsonNode body = in.optional("body");
        byte[] bytes = null;
        if (body != null) {
            if ("GET".equals(method) || "HEAD".equals(method)) {
                throw new ConnectorInput.Invalid("Expected no 'body' in the input of " + NAME + " for a " + method + " request, but it has one");
            }
            bytes = body.isTextual() ? body.asText().getBytes(StandardCharsets.UTF_8) : write(body);
            if (contentType == null) {
                contentType = body.isTextual() ? "text/plain; charset=utf-8" : "application/json";
            }
        }
        return new GuardedHttpClient.Request(url, method, bytes, contentType, Map.of(), headers, maxBodyBytes, job.timeout());
    }

    private static URI url(String text) {
        try {
            URI url = new URI(text);
            if (("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme())) && url.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw new ConnectorInput.Invalid("Expected 'url' in the input of " + NAME + " to be an absolute http(s) URL, but it is '" + text + "'");
    }

    private static Map<String, String> headers(ConnectorInput in) {
        JsonNode given = in.optional("headers");
        Map<String, String> headers = new LinkedHashMap<>();
        if (given == null) {
            return headers;
        }
        if (!given.isObject()) {
            throw in.wrongKind("headers", "an object of header names to values", given);
        }
        given.fields().forEachRemaining(header -> {
            JsonNode value = header.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw in.wrongKind("headers." + header.getKey(), "a string", value);
            }
            headers.put(header.getKey(), value.asText());
        });
        return headers;
    }

    private static String removeIgnoringCase(Map<String, String> headers, String name) {
        String found = null;
        for (var it = headers.entrySet().iterator(); it.hasNext(); ) {
            var header = it.next();
            if (header.getKey().equalsIgnoreCase(name)) {
                found = header.getValue();
                it.remove();
            }
        }
        return found;
    }

    private InvocationResult result(GuardedHttpClient.Answer.Response response) {
        if (response.cut()) {
            return new InvocationResult.Failure(FailureTypes.LIMIT_EXCEEDED, "the answer of " + NAME + " (" + response.request()
                    + " -> " + response.status() + ") is over the limit 'function result' of " + maxBodyBytes + " bytes");
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("status", response.status());
        ObjectNode headers = result.putObject("headers");
        new TreeMap<>(response.headers().map()).forEach((name, values) -> {
            if (!name.startsWith(":")) { // HTTP/2 pseudo-headers are not headers
                headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values));
            }
        });
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        result.set("body", body(response.body(), contentType));
        return new InvocationResult.Success(result);
    }

    private static JsonNode body(byte[] bytes, String contentType) {
        if (bytes.length == 0) {
            return JsonNodeFactory.instance.nullNode();
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                // a body that says it is JSON and is not: hand it over as the text it is
            }
        }
        return JsonNodeFactory.instance.textNode(new String(bytes, charset(contentType)));
    }

    private static Charset charset(String contentType) {
        Matcher m = CHARSET.matcher(contentType);
        try {
            return m.find() ? Charset.forName(m.group(1).trim()) : StandardCharsets.UTF_8;
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static byte[] write(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("Expected a JSON tree to be writable, but " + e.getMessage(), e);
        }
    }
}
