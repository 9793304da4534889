package dev.tributary.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.core.RunStatus;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Starting runs (with and without waiting), listing, reading, history and cancelling. */
class ApiRunRoutesTest {

    private final FakeEngine engine = new FakeEngine().withWorkflow("hello");
    private final TestApi api = new TestApi(engine);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void startsARunAndAnswers202WithTheRun() {
        // when
        HttpResponse<String> response = api.post("/workflows/hello/runs", "{\"name\":\"Ada\",\"amount\":123456789.123456789123}");

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode run = Json.parse(response.body());
        assertThat(run.get("id").asText()).isEqualTo("r-1");
        assertThat(run.get("workflow").asText()).isEqualTo("hello");
        assertThat(run.get("version").asInt()).isEqualTo(2);
        assertThat(run.get("status").asText()).isEqualTo("RUNNING");
        // decimals pass through exactly, not rounded to a double
        assertThat(response.body()).contains("\"input\":{\"name\":\"Ada\",\"amount\":123456789.123456789123}");
        assertThat(run.get("startedAt").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(run.get("endedAt").isNull()).isTrue();
        assertThat(run.has("output")).isTrue();
        assertThat(run.has("error")).isTrue();
        assertThat(run.has("parentRunId")).isFalse();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/runs/r-1");
    }

    @Test
    void startsWithAnEmptyObjectWhenTheBodyIsEmpty() {
        HttpResponse<String> response = api.send(api.authorized("/workflows/hello/runs").POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(engine.startInputs.get(0).toString()).isEqualTo("{}");
    }

    @Test
    void passesTheIdempotencyKeyThrough() {
        // when
        HttpResponse<String> first = api.send(api.authorized("/workflows/hello/runs").header("Idempotency-Key", "order-7")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        HttpResponse<String> second = api.send(api.authorized("/workflows/hello/runs").header("Idempotency-Key", "order-7")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        api.post("/workflows/hello/runs", "{}");

        // then
        assertThat(engine.startKeys).containsExactly("order-7", "order-7", "null");
        assertThat(Json.parse(first.body()).get("id")).isEqualTo(Json.parse(second.body()).get("id"));
    }

    @Test
    void passesAVersionedNameThrough() {
        assertThat(api.post("/workflows/hello@1/runs", "{}").statusCode()).isEqualTo(202);
    }

    @Test
    void answers200WhenTheRunEndsWithinTheWait() {
        // given
        engine.finishRunsWith(RunStatus.SUCCEEDED);

        // when
        HttpResponse<String> response = api.post("/workflows/hello/runs?wait=30s", "{\"x\":1}");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode run = Json.parse(response.body());
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("output").toString()).isEqualTo("{\"echo\":{\"x\":1}}");
        assertThat(run.get("endedAt").asText()).isEqualTo("2026-01-02T03:04:06Z");
        assertThat(engine.awaited).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void answers202WithTheRunAsItIsWhenTheWaitRunsOut() {
        // when
        HttpResponse<String> response = api.post("/workflows/hello/runs?wait=PT2M", "{}");
        HttpResponse<String> bare = api.post("/workflows/hello/runs?wait", "{}");

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(Json.parse(response.body()).get("status").asText()).isEqualTo("RUNNING");
        assertThat(bare.statusCode()).isEqualTo(202);
        assertThat(engine.awaited).containsExactly(Duration.ofMinutes(2), Duration.ofSeconds(30));
    }

    @Test
    void refusesAWaitThatIsNoDurationOrTooLong() {
        HttpResponse<String> garbage = api.post("/workflows/hello/runs?wait=soon", "{}");
        HttpResponse<String> tooLong = api.post("/workflows/hello/runs?wait=2h", "{}");

        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("soon");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("15m");
        assertThat(engine.startInputs).isEmpty();
    }

    @Test
    void mapsUnknownWorkflowsAndInvalidInput() {
        // when
        HttpResponse<String> unknown = api.post("/workflows/nope/runs", "{}");
        HttpResponse<String> invalid = api.post("/workflows/hello/runs", "{\"invalid\":true}");

        // then
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.parse(unknown.body()).get("error").get("code").asText()).isEqualTo("not_found");
        assertThat(invalid.statusCode()).isEqualTo(422);
        JsonNode error = Json.parse(invalid.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("input_invalid");
        assertThat(error.get("details").get(0).get("path").asText()).isEqualTo("/invalid");
    }

    @Test
    void refusesAnInputThatIsNotJson() {
        HttpResponse<String> response = api.send(api.authorized("/workflows/hello/runs").header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("a,b")));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(Json.parse(response.body()).get("error").get("code").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void listsRunsNewestFirstWithFiltersAndACursor() {
        // given
        engine.withRun("r-a", "hello", RunStatus.SUCCEEDED);
        engine.withRun("r-b", "hello", RunStatus.FAILED);
        engine.withRun("r-c", "other", RunStatus.SUCCEEDED);

        // when
        JsonNode all = Json.parse(api.get("/runs").body());
        JsonNode page = Json.parse(api.get("/runs?workflow=hello&status=failed&limit=1&cursor=abc").body());
        JsonNode firstOfTwo = Json.parse(api.get("/runs?limit=2").body());

        // then
        assertThat(all.get("runs")).extracting(r -> r.get("id").asText()).containsExactly("r-c", "r-b", "r-a");
        assertThat(all.get("cursor").isNull()).isTrue();
        assertThat(page.get("runs")).extracting(r -> r.get("id").asText()).containsExactly("r-b");
        assertThat(engine.queries.get(1).workflow()).isEqualTo("hello");
        assertThat(engine.queries.get(1).status()).isEqualTo(RunStatus.FAILED);
        assertThat(engine.queries.get(1).limit()).isEqualTo(1);
        assertThat(engine.queries.get(1).cursor()).isEqualTo("abc");
        assertThat(engine.queries.get(0).limit()).isEqualTo(50);
        assertThat(firstOfTwo.get("cursor").asText()).isEqualTo("next-page");
    }

    @Test
    void refusesBadListParameters() {
        assertThat(api.get("/runs?status=DONE").statusCode()).isEqualTo(400);
        assertThat(api.get("/runs?status=DONE").body()).contains("SUCCEEDED");
        assertThat(api.get("/runs?limit=0").statusCode()).isEqualTo(400);
        assertThat(api.get("/runs?limit=many").statusCode()).isEqualTo(400);
        assertThat(api.get("/runs?limit=1&limit=2").statusCode()).isEqualTo(400);
    }

    @Test
    void showsARunAndItsHistory() {
        // given
        engine.withRun("r-a", "hello", RunStatus.FAILED);

        // when
        JsonNode run = Json.parse(api.get("/runs/r-a").body());
        JsonNode history = Json.parse(api.get("/runs/r-a/history").body());

        // then
        assertThat(run.get("error").get("type").asText()).isEqualTo("Boom");
        assertThat(run.get("endedAt").asText()).isEqualTo("2026-01-02T03:04:07Z");
        assertThat(history.get("events").get(0).toString())
                .isEqualTo("{\"seq\":1,\"type\":\"RunStarted\",\"step\":null,\"at\":\"2026-01-02T03:04:05Z\",\"data\":{\"n\":1}}");
        assertThat(history.get("events").get(1).get("step").asText()).isEqualTo("only");
        assertThat(history.get("events").get(1).get("at").asText()).isEqualTo("2026-01-02T03:04:05.005Z");
        assertThat(api.get("/runs/r-none").statusCode()).isEqualTo(404);
        assertThat(api.get("/runs/r-none/history").statusCode()).isEqualTo(404);
    }

    @Test
    void cancelsARunningRunAndRefusesAnEndedOne() {
        // given
        engine.withRun("r-a", "hello", RunStatus.WAITING);
        engine.withRun("r-b", "hello", RunStatus.SUCCEEDED);

        // when
        HttpResponse<String> cancelled = api.send(api.authorized("/runs/r-a/cancel").POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> ended = api.send(api.authorized("/runs/r-b/cancel").POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> unknown = api.send(api.authorized("/runs/r-x/cancel").POST(HttpRequest.BodyPublishers.noBody()));

        // then
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(Json.parse(cancelled.body()).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(ended.statusCode()).isEqualTo(409);
        assertThat(Json.parse(ended.body()).get("error").get("code").asText()).isEqualTo("conflict");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }
}
