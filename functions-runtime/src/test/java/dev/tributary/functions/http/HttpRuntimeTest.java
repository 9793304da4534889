package dev.tributary.functions.http;

import static dev.tributary.functions.RuntimeFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.functions.Execution;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.RuntimeFixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRuntimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private HttpServer server;
    private HttpServer other;
    private String base;
    private HttpRuntime runtime;

    @BeforeEach
    void startServers() throws IOException {
        other = start();
        String otherBase = "http://127.0.0.1:" + other.getAddress().getPort();
        other.createContext("/echo", HttpRuntimeTest::echo);

        server = start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/echo", HttpRuntimeTest::echo);
        server.createContext("/fail", exchange -> answer(exchange, 502, "upstream broke"));
        server.createContext("/text", exchange -> answer(exchange, 200, "hello"));
        server.createContext("/empty", exchange -> answer(exchange, 204, ""));
        server.createContext("/big", exchange -> answer(exchange, 200, "\"" + "b".repeat(2_000_000) + "\""));
        server.createContext("/slow", exchange -> {
            await(release);
            answer(exchange, 200, "{}");
        });
        server.createContext("/to-metadata", exchange -> redirect(exchange, 302, "http://169.254.169.254/latest/meta-data/"));
        server.createContext("/to-other-port", exchange -> redirect(exchange, 307, otherBase + "/echo"));
        server.createContext("/r307", exchange -> redirect(exchange, 307, "/echo"));
        server.createContext("/r303", exchange -> redirect(exchange, 303, "/echo"));
        server.createContext("/r301", exchange -> redirect(exchange, 301, base + "/echo"));
        server.createContext("/loop", exchange -> redirect(exchange, 302, "/loop"));

        runtime = new HttpRuntime(CLOCK, AddressPolicy.publicOnly().alsoAllowing((InetSocketAddress) server.getAddress()));
    }

    @AfterEach
    void stopServers() {
        release.countDown();
        server.stop(0);
        other.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void postsTheInputAsJsonWithItsHeadersAndTakesTheJsonAnswer() {
        // when
        Execution execution = run(function(base + "/echo", "headers: {Authorization: \"Bearer t0k\", X-Trace: abc}\n"), "{\"amount\": 12}");

        // then
        assertThat(success(execution)).isEqualTo(json("""
                {"method": "POST", "body": {"amount": 12}, "contentType": "application/json",
                 "authorization": "Bearer t0k", "trace": "abc"}"""));
        assertThat(execution.startedAt()).isEqualTo(NOW);
        assertThat(execution.coldStart()).isFalse();
        assertThat(execution.logs()).startsWith("POST " + base + "/echo -> 200 (");
    }

    @Test
    void usesTheFunctionsMethod() {
        // when
        JsonNode result = success(run(function(base + "/echo", "method: PUT\n"), "{\"a\": 1}"));

        // then
        assertThat(result.get("method").asText()).isEqualTo("PUT");
        assertThat(result.get("body")).isEqualTo(json("{\"a\": 1}"));
    }

    @Test
    void aNon2xxAnswerIsAFunctionErrorWithTheBody() {
        // when
        Execution execution = run(function(base + "/fail", ""), "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("FunctionError",
                "http function 'f': POST " + base + "/fail answered 502: upstream broke"));
    }

    @Test
    void anAnswerThatIsNotJsonIsAFunctionError() {
        // when
        Execution execution = run(function(base + "/text", ""), "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("FunctionError",
                "Expected http function 'f' to answer JSON, but POST " + base + "/text answered 200 with: hello"));
    }

    @Test
    void anEmptyAnswerIsNull() {
        // when
        Execution execution = run(function(base + "/empty", ""), "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Success(json("null")));
    }

    @Test
    void anAnswerOverTheLimitIsLimitExceeded() {
        // when
        Execution execution = run(function(base + "/big", ""), "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("LimitExceeded",
                "the result of http function 'f' (POST " + base + "/big) is over the limit 'function result' of 1048576 bytes"));
    }

    @Test
    void theJobsTimeoutBoundsTheRequest() {
        // when
        Execution execution = runtime.invoke(RuntimeFixtures.job(function(base + "/slow", ""), "{}", Duration.ofMillis(300))).join();

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("Timeout",
                "http function 'f' did not get an answer within PT0.3S"));
        assertThat(execution.duration()).isLessThan(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:%d/echo", "http://localhost:%d/echo", "http://[::1]:%d/echo",
            "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::ffff:127.0.0.1]:%d/echo"})
    void refusesAddressesThatAreNotPublic(String url) {
        // given a policy without the test server's exception
        HttpRuntime strict = new HttpRuntime(CLOCK, AddressPolicy.publicOnly());

        // when
        Execution execution = strict.invoke(RuntimeFixtures.job(function(url.formatted(server.getAddress().getPort()), ""),
                "{}", Duration.ofSeconds(10))).join();

        // then
        assertThat(execution.result()).isInstanceOfSatisfying(InvocationResult.Failure.class, f -> {
            assertThat(f.type()).isEqualTo("FunctionError");
            assertThat(f.message()).startsWith("Expected a public address for http function 'f', but ")
                    .matches(".*\\((loopback|link-local|private)\\).*|.* is (loopback|link-local|private);.*")
                    .endsWith("; start the server with --allow-private-http to allow it");
        });
    }

    @Test
    void theRefusalNamesTheHostAndTheAddress() {
        // when
        Execution execution = new HttpRuntime(CLOCK, AddressPolicy.publicOnly())
                .invoke(RuntimeFixtures.job(function("http://169.254.169.254/latest/meta-data/", ""), "{}")).join();

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("FunctionError",
                "Expected a public address for http function 'f', but 169.254.169.254 is link-local;"
                        + " start the server with --allow-private-http to allow it"));
    }

    @Test
    void aRedirectToARefusedAddressIsRefused() {
        // when
        Execution metadata = run(function(base + "/to-metadata", ""), "{}");
        Execution otherPort = run(function(base + "/to-other-port", ""), "{}");

        // then
        assertThat(metadata.result()).isEqualTo(new InvocationResult.Failure("FunctionError",
                "Expected a public address for http function 'f', but 169.254.169.254 is link-local;"
                        + " start the server with --allow-private-http to allow it"));
        assertThat(metadata.logs()).startsWith("POST " + base + "/to-metadata -> 302");
        assertThat(otherPort.result()).isInstanceOfSatisfying(InvocationResult.Failure.class,
                f -> assertThat(f.message()).contains("127.0.0.1 is loopback"));
    }

    @Test
    void allowingPrivateAddressesReachesLoopback() {
        // given
        HttpRuntime open = new HttpRuntime(CLOCK, AddressPolicy.allowingPrivate());

        // when
        Execution execution = open.invoke(RuntimeFixtures.job(function("http://localhost:" + server.getAddress().getPort() + "/echo", ""),
                "{\"x\": 1}")).join();

        // then
        assertThat(success(execution).get("body")).isEqualTo(json("{\"x\": 1}"));
    }

    @Test
    void a307RepeatsTheMethodAndBody() {
        // when
        JsonNode result = success(run(function(base + "/r307", ""), "{\"a\": 1}"));

        // then
        assertThat(result.get("method").asText()).isEqualTo("POST");
        assertThat(result.get("body")).isEqualTo(json("{\"a\": 1}"));
    }

    @Test
    void a303Or301BecomesAGetWithoutBody() {
        // when
        JsonNode after303 = success(run(function(base + "/r303", ""), "{\"a\": 1}"));
        JsonNode after301 = success(run(function(base + "/r301", ""), "{\"a\": 1}"));

        // then
        assertThat(after303.get("method").asText()).isEqualTo("GET");
        assertThat(after303.get("body").isNull()).isTrue();
        assertThat(after301.get("method").asText()).isEqualTo("GET");
    }

    @Test
    void atMostFiveRedirectsAreFollowed() {
        // when
        Execution execution = run(function(base + "/loop", ""), "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("FunctionError",
                "http function 'f': GET " + base + "/loop redirected a 6th time; at most 5 redirects are followed"));
        assertThat(execution.logs().lines()).hasSize(6);
    }

    @Test
    void theFunctionsHeadersDoNotFollowARedirectToAnotherOrigin() {
        // given both servers allowed
        HttpRuntime open = new HttpRuntime(CLOCK, AddressPolicy.allowingPrivate());

        // when
        JsonNode sameOrigin = success(open.invoke(RuntimeFixtures.job(
                function(base + "/r307", "headers: {Authorization: \"Bearer t0k\"}\n"), "{}")).join());
        JsonNode otherOrigin = success(open.invoke(RuntimeFixtures.job(
                function(base + "/to-other-port", "headers: {Authorization: \"Bearer t0k\"}\n"), "{}")).join());

        // then
        assertThat(sameOrigin.get("authorization").asText()).isEqualTo("Bearer t0k");
        assertThat(otherOrigin.get("authorization").isNull()).isTrue();
        assertThat(otherOrigin.get("method").asText()).isEqualTo("POST");
    }

    @Test
    void anExpressionHeaderNeedsAResolver() {
        // when
        Execution execution = run(function(base + "/echo", "headers: {Authorization: \"${ secret('tok') }\"}\n"), "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("FunctionError",
                "Expected the header 'Authorization' of http function 'f' to be a constant, but it is an expression and this node resolves none"));
    }

    private Execution run(FunctionDef function, String input) {
        return runtime.invoke(RuntimeFixtures.job(function, input, Duration.ofSeconds(10))).join();
    }

    private static FunctionDef function(String url, String moreYaml) {
        return RuntimeFixtures.function("function: f\nruntime: http\nurl: \"" + url + "\"\n" + moreYaml);
    }

    private static JsonNode success(Execution execution) {
        assertThat(execution.result()).isInstanceOf(InvocationResult.Success.class);
        return ((InvocationResult.Success) execution.result()).result();
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
        out.set("body", body.length == 0 ? null : JSON.readTree(body));
        out.put("contentType", exchange.getRequestHeaders().getFirst("Content-Type"));
        out.put("authorization", exchange.getRequestHeaders().getFirst("Authorization"));
        if (exchange.getRequestHeaders().containsKey("X-Trace")) {
            out.put("trace", exchange.getRequestHeaders().getFirst("X-Trace"));
        }
        answer(exchange, 200, out.toString());
    }

    private static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Location", location);
        answer(exchange, status, "");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
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
