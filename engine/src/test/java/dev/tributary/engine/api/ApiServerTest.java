package dev.tributary.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.dsl.schema.DslSchema;
import dev.tributary.engine.node.EngineException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deploy, workflows, functions, documents, health, metrics and the error envelope. */
class ApiServerTest {

    private final FakeEngine engine = new FakeEngine().withWorkflow("hello").withWorkflow("order").withFunction("greet");
    private final TestApi api = new TestApi(engine);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void deploysYamlTextUnderTheNameTheClientGives() {
        // when
        HttpResponse<String> response = api.send(api.authorized("/deploy").header("Content-Type", "application/yaml")
                .header("X-Tributary-File", "defs/hello.yaml")
                .POST(HttpRequest.BodyPublishers.ofString("workflow: hello\nsteps: []\n")));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body()).toString())
                .isEqualTo("{\"deployed\":[{\"kind\":\"function\",\"name\":\"greet\",\"version\":1},"
                        + "{\"kind\":\"workflow\",\"name\":\"hello\",\"version\":3}]}");
        assertThat(engine.deploys).hasSize(1);
        assertThat(engine.deploys.get(0).get(0).name()).isEqualTo("defs/hello.yaml");
        assertThat(engine.deploys.get(0).get(0).text()).isEqualTo("workflow: hello\nsteps: []\n");
    }

    @Test
    void namesAnUnnamedBodyByItsContentType() {
        // when
        api.send(api.authorized("/deploy").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"workflow\":\"hello\"}")));
        api.send(api.authorized("/deploy").header("Content-Type", "text/yaml")
                .POST(HttpRequest.BodyPublishers.ofString("workflow: hello")));

        // then
        assertThat(engine.deploys).extracting(files -> files.get(0).name()).containsExactly("request.json", "request.yaml");
    }

    @Test
    void answersAnInvalidDefinitionWithEveryProblemAndItsPlace() {
        // given
        JsonNode problem = JsonNodeFactory.instance.objectNode().put("file", "request.yaml").put("line", 3).put("column", 7)
                .put("path", "steps[0].next").put("message", "there is no step 'nope'");
        engine.failDeploysWith(new EngineException(EngineException.Code.INVALID_DEFINITION, "1 problem in 1 file", List.of(problem)));

        // when
        HttpResponse<String> response = api.send(api.authorized("/deploy")
                .POST(HttpRequest.BodyPublishers.ofString("workflow: hello")));

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Json.parse(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_definition");
        assertThat(error.get("details").get(0)).isEqualTo(problem);
    }

    @Test
    void refusesAnEmptyOrNonFormMultipartOrNonUtf8Deploy() {
        assertThat(api.send(api.authorized("/deploy").POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(400);
        assertThat(api.send(api.authorized("/deploy").header("Content-Type", "multipart/mixed; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("--x--"))).statusCode()).isEqualTo(415);
        HttpResponse<String> latin1 = api.send(api.authorized("/deploy")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'a', ':', ' ', (byte) 0xE9})));
        assertThat(latin1.statusCode()).isEqualTo(400);
        assertThat(latin1.body()).contains("UTF-8");
        assertThat(engine.deploys).isEmpty();
    }

    @Test
    void listsShowsAndRemovesWorkflows() {
        // when
        JsonNode list = Json.parse(api.get("/workflows").body());
        HttpResponse<String> one = api.get("/workflows/hello");
        HttpResponse<String> removed = api.send(api.authorized("/workflows/hello").DELETE());
        HttpResponse<String> again = api.send(api.authorized("/workflows/hello").DELETE());

        // then
        assertThat(list.get("workflows")).extracting(w -> w.get("name").asText()).containsExactly("hello", "order");
        assertThat(list.get("workflows").get(0).has("definition")).isFalse();
        assertThat(list.has("cursor")).isTrue();
        JsonNode hello = Json.parse(one.body());
        assertThat(hello.get("version").asInt()).isEqualTo(2);
        assertThat(hello.get("versions").toString()).isEqualTo("[1,2]");
        assertThat(hello.get("deployedAt").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(hello.get("definition").get("workflow").asText()).isEqualTo("hello");
        assertThat(removed.statusCode()).isEqualTo(204);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(api.get("/workflows/hello").statusCode()).isEqualTo(404);
    }

    @Test
    void listsShowsAndInvokesFunctions() {
        // when
        JsonNode list = Json.parse(api.get("/functions").body());
        JsonNode greet = Json.parse(api.get("/functions/greet").body());
        HttpResponse<String> invoked = api.post("/functions/greet/invoke", "{\"name\":\"Ada\"}");
        HttpResponse<String> empty = api.send(api.authorized("/functions/greet/invoke").POST(HttpRequest.BodyPublishers.noBody()));

        // then
        assertThat(list.get("functions")).extracting(f -> f.get("name").asText()).containsExactly("greet");
        assertThat(greet.get("runtime").asText()).isEqualTo("expr");
        assertThat(greet.get("definition").get("function").asText()).isEqualTo("greet");
        assertThat(invoked.statusCode()).isEqualTo(200);
        JsonNode outcome = Json.parse(invoked.body());
        assertThat(outcome.get("activation").get("status").asText()).isEqualTo("success");
        assertThat(outcome.get("result").toString()).isEqualTo("{\"echo\":{\"name\":\"Ada\"}}");
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(engine.invokeInputs.get(1).toString()).isEqualTo("{}");
    }

    @Test
    void answersUnknownFunctionsWith404() {
        assertThat(api.get("/functions/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> invoked = api.post("/functions/nope/invoke", "{}");
        assertThat(invoked.statusCode()).isEqualTo(404);
        assertThat(Json.parse(invoked.body()).get("error").get("message").asText()).contains("nope");
    }

    @Test
    void servesTheDslSchemaAndTheOpenApiDocument() {
        // when
        HttpResponse<String> schema = api.get("/schema/dsl.json");
        HttpResponse<String> openApi = api.get("/openapi.yaml");

        // then
        assertThat(schema.statusCode()).isEqualTo(200);
        assertThat(schema.headers().firstValue("Content-Type")).hasValue("application/schema+json");
        assertThat(schema.body()).isEqualTo(DslSchema.json());
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(openApi.headers().firstValue("Content-Type")).hasValue("application/yaml");
        assertThat(openApi.body()).startsWith("openapi: 3.1.0");
    }

    @Test
    void reportsHealthWithoutAKey() {
        // when
        HttpResponse<String> health = api.send(java.net.http.HttpRequest.newBuilder(api.uri("/health")).GET());

        // then
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Json.parse(health.body()).toString()).isEqualTo("{\"status\":\"UP\",\"node\":\"node-1\",\"members\":[\"node-1\"]}");
    }

    @Test
    void countsAndTimesRequestsByRouteTemplateAndStatus() {
        // given
        api.get("/runs/r-404");
        api.get("/runs/r-405");
        api.get("/workflows");

        // when
        HttpResponse<String> metrics = api.send(java.net.http.HttpRequest.newBuilder(api.uri("/metrics")).GET());

        // then: no key needed from loopback, and ids do not become series
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\",uri=\"/api/v1/runs/{id}\"} 2")
                .contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api/v1/workflows\"} 1")
                .doesNotContain("r-404");
    }

    @Test
    void answersUnknownRoutesAndWrongMethodsInTheEnvelope() {
        // when
        HttpResponse<String> unknown = api.get("/nothing/here");
        HttpResponse<String> outside = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.url() + "/favicon.ico")).GET());
        HttpResponse<String> wrongMethod = api.send(api.authorized("/workflows").PUT(HttpRequest.BodyPublishers.noBody()));

        // then
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.parse(unknown.body()).get("error").get("code").asText()).isEqualTo("not_found");
        assertThat(outside.statusCode()).isEqualTo(404);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(Json.parse(wrongMethod.body()).get("error").get("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void answersAnEngineBugWithAnErrorIdAndNoStackTrace() {
        // given
        engine.crashWith(new IllegalStateException("secret internals at dev.tributary.engine.Foo.bar(Foo.java:42)"));

        // when
        HttpResponse<String> response = api.get("/workflows");

        // then
        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode error = Json.parse(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("internal");
        String errorId = error.get("details").get(0).get("errorId").asText();
        assertThat(errorId).isNotBlank();
        assertThat(error.get("message").asText()).contains(errorId);
        assertThat(response.body()).doesNotContain("IllegalStateException", "secret", "Foo.java", "dev.tributary", "\tat ");
    }

    @Test
    void reportsATakenPortAndMayBeStartedAgain() {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            // given
            ApiServer clash = new ApiServer(vertx, engine, ApiConfig.of("127.0.0.1", api.port, TestApi.KEY), api.metrics);

            // when
            io.vertx.core.Future<Integer> first = clash.start();
            awaitQuietly(first);
            io.vertx.core.Future<Integer> second = clash.start();
            awaitQuietly(second);

            // then: both tried to bind; a failed start does not count as started
            assertThat(first.failed()).isTrue();
            assertThat(second.failed()).isTrue();
            assertThat(second.cause().getMessage()).doesNotContain("already started");
        } finally {
            vertx.close().await();
        }
    }

    private static void awaitQuietly(io.vertx.core.Future<?> future) {
        try {
            future.await();
        } catch (Exception e) { // await() rethrows the cause as it is, checked or not
            // the failure is what the test looks at
        }
    }

    @Test
    void mapsEveryEngineCodeToItsStatus() {
        assertThat(status(EngineException.Code.INVALID_DEFINITION)).isEqualTo(400);
        assertThat(status(EngineException.Code.BAD_REQUEST)).isEqualTo(400);
        assertThat(status(EngineException.Code.NOT_FOUND)).isEqualTo(404);
        assertThat(status(EngineException.Code.CONFLICT)).isEqualTo(409);
        assertThat(status(EngineException.Code.LIMIT_EXCEEDED)).isEqualTo(413);
        assertThat(status(EngineException.Code.INPUT_INVALID)).isEqualTo(422);
        assertThat(status(EngineException.Code.UNAVAILABLE)).isEqualTo(503);
    }

    private int status(EngineException.Code code) {
        engine.failDeploysWith(new EngineException(code, "refused"));
        HttpResponse<String> response = api.send(api.authorized("/deploy").POST(HttpRequest.BodyPublishers.ofString("a: b")));
        assertThat(Json.parse(response.body()).get("error").get("message").asText()).isEqualTo("refused");
        return response.statusCode();
    }
}
