package dev.tributary.connectors.functions;

import static dev.tributary.connectors.functions.ConnectorJobs.failure;
import static dev.tributary.connectors.functions.ConnectorJobs.job;
import static dev.tributary.connectors.functions.ConnectorJobs.json;
import static dev.tributary.connectors.functions.ConnectorJobs.success;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.functions.Execution;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.http.AddressPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code http.request} against real HTTP servers on loopback. */
class HttpRequestFunctionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T09:00:00Z"), ZoneOffset.UTC);
    private static final long MAX_BODY = 1 << 20;

    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private HttpServer server;
    private HttpServer other;
    private String base;
    private String otherBase;
    /** Public addresses and the test server's own address and port: what a node would reach on the internet. */
    private HttpRequestFunction function;

    @BeforeEach
    void startServers() throws IOException {
        other = start();
        otherBase = "http://127.0.0.1:" + other.getAddress().getPort();
        other.createContext("/echo", HttpRequestFunctionTest::echo);
        server = start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/echo", HttpRequestFunctionTest::echo);
        server.createContext("/missing", exchange -> answer(exchange, 404, "text/plain; charset=utf-8", "nothing here"));
        server.createContext("/broken", exchange -> answer(exchange, 500, "application/json", "{\"error\":\"db down\"}"));
        server.createContext("/not-json", exchange -> answer(exchange, 200, "application/json", "{oops"));
        server.createContext("/latin1", exchange -> answer(exchange, 200, "text/plain; charset=ISO-8859-1",
                new String("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1));
        server.createContext("/empty", exchange -> answer(exchange, 204, null, ""));
        server.createContext("/big", exchange -> answer(exchange, 200, "text/plain", "b".repeat((int) MAX_BODY + 10)));
        server.createContext("/slow", exchange -> {
            await(release);
            answer(exchange, 200, "application/json", "{}");
        });
        server.createContext("/to-metadata", exchange -> redirect(exchange, 302, "http://169.254.169.254/latest/meta-data/"));
        server.createContext("/to-other-port", exchange -> redirect(exchange, 307, otherBase + "/echo"));
        server.createContext("/r308", exchange -> redirect(exchange, 308, "/echo"));
        function = new HttpRequestFunction(CLOCK, AddressPolicy.publicOnly().alsoAllowing((InetSocketAddress) server.getAddress()),
                MAX_BODY);
    }

    @AfterEach
    void stopServers() {
        release.countDown();
        server.stop(0);
        other.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void sendsTheMethodHeadersAndJsonBodyAndAnswersStatusHeadersAndParsedBody() {
        // when
        Execution execution = run("{\"url\": \"" + base + "/echo?q=1\", \"method\": \"put\", \"headers\": {\"X-Trace\": \"t-1\"},"
                + " \"body\": {\"amount\": 12.5}}");

        // then
        JsonNode result = success(execution);
        assertThat(result.get("status").asInt()).isEqualTo(200);
        assertThat(result.get("headers").get("content-type").asText()).isEqualTo("application/json");
        assertThat(result.get("body")).isEqualTo(json("{\"method\":\"PUT\",\"query\":\"q=1\",\"contentType\":\"application/json\","
                + "\"trace\":\"t-1\",\"body\":\"{\\\"amount\\\":12.5}\"}"));
        assertThat(execution.logs()).startsWith("PUT " + base + "/echo?q=1 -> 200");
    }

    @Test
    void aStringBodyIsSentAsTextUnlessTheHeadersSayOtherwise() {
        // when
        JsonNode text = success(run("{\"url\": \"" + base + "/echo\", \"method\": \"POST\", \"body\": \"a=1&b=2\"}"));
        JsonNode form = success(run("{\"url\": \"" + base + "/echo\", \"method\": \"POST\", \"body\": \"a=1\","
                + " \"headers\": {\"content-type\": \"application/x-www-form-urlencoded\"}}"));

        // then
        assertThat(text.get("body").get("body").asText()).isEqualTo("a=1&b=2");
        assertThat(text.get("body").get("contentType").asText()).isEqualTo("text/plain; charset=utf-8");
        assertThat(form.get("body").get("contentType").asText()).isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void aNon2xxAnswerIsAResultWithItsStatusNotAnError() {
        // when
        JsonNode missing = success(run("{\"url\": \"" + base + "/missing\"}"));
        JsonNode broken = success(run("{\"url\": \"" + base + "/broken\"}"));

        // then
        assertThat(missing.get("status").asInt()).isEqualTo(404);
        assertThat(missing.get("body").asText()).isEqualTo("nothing here");
        assertThat(broken.get("status").asInt()).isEqualTo(500);
        assertThat(broken.get("body")).isEqualTo(json("{\"error\":\"db down\"}"));
    }

    @Test
    void aBodyThatIsNotJsonOrEmptyIsTextOrNull() {
        // when
        JsonNode notJson = success(run("{\"url\": \"" + base + "/not-json\"}"));
        JsonNode latin1 = success(run("{\"url\": \"" + base + "/latin1\"}"));
        JsonNode empty = success(run("{\"url\": \"" + base + "/empty\"}"));

        // then
        assertThat(notJson.get("body").asText()).isEqualTo("{oops");
        assertThat(latin1.get("body").asText()).isEqualTo("caf\u00e9");
        assertThat(empty.get("status").asInt()).isEqualTo(204);
        assertThat(empty.get("body").isNull()).isTrue();
    }

    @Test
    void anAnswerOverTheLimitIsLimitExceeded() {
        InvocationResult.Failure failure = failure(run("{\"url\": \"" + base + "/big\"}"));

        assertThat(failure.type()).isEqualTo("LimitExceeded");
        assertThat(failure.message()).isEqualTo("the answer of http.request (GET " + base + "/big -> 200) is over the limit"
                + " 'function result' of 1048576 bytes");
    }

    @Test
    void loopbackIsRefusedUnlessTheServerAllowsPrivateAddresses() {
        // given
        String input = "{\"url\": \"http://localhost:" + server.getAddress().getPort() + "/echo\"}";

        // when
        Execution strict = new HttpRequestFunction(CLOCK, AddressPolicy.publicOnly(), MAX_BODY).invoke(job("http.request", input)).join();
        Execution open = new HttpRequestFunction(CLOCK, AddressPolicy.allowingPrivate(), MAX_BODY).invoke(job("http.request", input)).join();

        // then
        InvocationResult.Failure refused = failure(strict);
        assertThat(refused.type()).isEqualTo("FunctionError");
        assertThat(refused.message()).startsWith("Expected a public address for http.request, but localhost resolves to ")
                .contains("(loopback)").endsWith("; start the server with --allow-private-http to allow it");
        assertThat(success(open).get("status").asInt()).isEqualTo(200);
    }

    @Test
    void everyRedirectHopIsChecked() {
        // when: the first hop is allowed, the next one is not
        InvocationResult.Failure metadata = failure(run("{\"url\": \"" + base + "/to-metadata\"}"));
        InvocationResult.Failure otherPort = failure(run("{\"url\": \"" + base + "/to-other-port\"}"));
        JsonNode samePlace = success(run("{\"url\": \"" + base + "/r308\", \"method\": \"POST\", \"body\": {\"a\": 1}}"));

        // then
        assertThat(metadata).isEqualTo(new InvocationResult.Failure("FunctionError", "Expected a public address for http.request,"
                + " but 169.254.169.254 is link-local; start the server with --allow-private-http to allow it"));
        assertThat(otherPort.message()).contains("127.0.0.1 is loopback");
        assertThat(samePlace.get("body").get("method").asText()).isEqualTo("POST");
        assertThat(samePlace.get("body").get("body").asText()).isEqualTo("{\"a\":1}");
    }

    @Test
    void theGivenHeadersDoNotFollowARedirectToAnotherOrigin() {
        // given both servers reachable
        HttpRequestFunction open = new HttpRequestFunction(CLOCK, AddressPolicy.allowingPrivate(), MAX_BODY);

        // when
        JsonNode result = success(open.invoke(job("http.request", "{\"url\": \"" + base + "/to-other-port\", \"method\": \"POST\","
                + " \"headers\": {\"Authorization\": \"Bearer t0k\"}, \"body\": {}}")).join());

        // then
        assertThat(result.get("body").get("method").asText()).isEqualTo("POST");
        assertThat(result.get("body").has("authorization")).isFalse();
    }

    @Test
    void theJobsTimeoutBoundsTheRequest() {
        // when
        Execution execution = function.invoke(job("http.request", "{\"url\": \"" + base + "/slow\"}", "k", Duration.ofMillis(300))).join();

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("Timeout",
                "http.request did not get an answer to GET " + base + "/slow within PT0.3S"));
        assertThat(execution.duration()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aConnectionThatFailsIsAFunctionError() throws IOException {
        // given a loopback port nothing listens on
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        HttpRequestFunction open = new HttpRequestFunction(CLOCK, AddressPolicy.allowingPrivate(), MAX_BODY);

        // when
        InvocationResult.Failure failure = failure(open.invoke(job("http.request", "{\"url\": \"http://127.0.0.1:" + closed + "/\"}")).join());

        // then
        assertThat(failure.type()).isEqualTo("FunctionError");
        assertThat(failure.message()).startsWith("Expected http.request to get an answer to GET http://127.0.0.1:" + closed + "/, but ");
    }

    @Test
    void inputThatDoesNotFitIsInputInvalidNamingTheField() {
        assertThat(failure(run("{}"))).isEqualTo(new InvocationResult.Failure("InputInvalid",
                "Expected 'url' in the input of http.request, but it is missing"));
        assertThat(failure(run("{\"url\": \"ftp://example.com/x\"}")).message())
                .isEqualTo("Expected 'url' in the input of http.request to be an absolute http(s) URL, but it is 'ftp://example.com/x'");
        assertThat(failure(run("{\"url\": \"" + base + "/echo\", \"body\": {}}")).message())
                .isEqualTo("Expected no 'body' in the input of http.request for a GET request, but it has one");
        assertThat(failure(run("{\"url\": \"" + base + "/echo\", \"headers\": {\"X\": {\"nested\": 1}}}")).message())
                .isEqualTo("Expected 'headers.X' in the input of http.request to be a string, but it is an object");
        assertThat(failure(run("[1]")).type()).isEqualTo("InputInvalid");
    }

    private Execution run(String input) {
        return function.invoke(job("http.request", input)).join();
    }

    private HttpServer start() throws IOException {
        HttpServer started = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        started.setExecutor(serverThreads);
        started.start();
        return started;
    }

    private static void echo(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        ObjectNode out = JSON.createObjectNode();
        out.put("method", exchange.getRequestMethod());
        out.put("query", exchange.getRequestURI().getRawQuery());
        out.put("contentType", exchange.getRequestHeaders().getFirst("Content-Type"));
        if (exchange.getRequestHeaders().containsKey("X-Trace")) {
            out.put("trace", exchange.getRequestHeaders().getFirst("X-Trace"));
        }
        if (exchange.getRequestHeaders().containsKey("Authorization")) {
            out.put("authorization", exchange.getRequestHeaders().getFirst("Authorization"));
        }
        out.put("body", body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
        answer(exchange, 200, "application/json", out.toString());
    }

    private static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        answer(exchange, status, null, "");
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        answer(exchange, status, contentType, body, StandardCharsets.UTF_8);
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body,
                               java.nio.charset.Charset charset) throws IOException {
        exchange.getRequestBody().readAllBytes();
        if (contentType != null) {
            exchange.getResponseHeaders().add("Content-Type", contentType);
        }
        byte[] bytes = body.getBytes(charset);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
