package dev.tributary.engine.api;

import static dev.tributary.engine.store.ActivationFixtures.anActivation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.functions.Activation;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /activations}, {@code GET /activations/{id}}, {@code GET /usage}, and a run's cost on {@code GET /runs/{id}}. */
class ApiActivationRoutesTest {

    private final FakeEngine engine = new FakeEngine()
            .withActivation(anActivation("a-1").function("charge").run("r-1", "pay").duration(Duration.ofSeconds(2))
                    .memoryMb(1024).logs("charging 12.50\n").build())
            .withActivation(anActivation("a-2").function("charge").run("r-1", "pay").attempt(2)
                    .failed("CardDeclined", "the card was declined").logs("declined\n").build())
            .withActivation(anActivation("a-3").function("ship").coldStart().build());
    private final TestApi api = new TestApi(engine);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void listsActivationsNewestFirstWithoutTheirLogs() {
        // when
        HttpResponse<String> response = api.get("/activations");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode page = Json.parse(response.body());
        assertThat(page.get("activations")).extracting(a -> a.get("id").asText()).containsExactly("a-3", "a-2", "a-1");
        assertThat(page.get("cursor").isNull()).isTrue();
        JsonNode declined = page.get("activations").get(1);
        assertThat(declined.has("logs")).isFalse();
        assertThat(declined.get("status").asText()).isEqualTo("error");
        assertThat(declined.get("run").asText()).isEqualTo("r-1");
        assertThat(declined.get("step").asText()).isEqualTo("pay");
        assertThat(declined.get("attempt").asInt()).isEqualTo(2);
        assertThat(declined.get("idempotencyKey").asText()).isEqualTo("r-1/pay/2");
        assertThat(declined.get("error").get("type").asText()).isEqualTo("CardDeclined");
        assertThat(declined.get("result").isNull()).isTrue();
        assertThat(engine.activationQueries.get(0).limit()).isEqualTo(50);
    }

    @Test
    void passesTheFiltersAndTheCursorThrough() {
        // when
        JsonNode page = Json.parse(api.get("/activations?function=charge&run=r-1&status=SUCCESS&limit=1&cursor=next-page").body());
        JsonNode firstOfTwo = Json.parse(api.get("/activations?function=charge&limit=1").body());

        // then
        assertThat(page.get("activations")).extracting(a -> a.get("id").asText()).containsExactly("a-1");
        var query = engine.activationQueries.get(0);
        assertThat(query.function()).isEqualTo("charge");
        assertThat(query.runId()).isEqualTo("r-1");
        assertThat(query.status()).isEqualTo(Activation.Status.SUCCESS);
        assertThat(query.limit()).isEqualTo(1);
        assertThat(query.cursor()).isEqualTo("next-page");
        assertThat(firstOfTwo.get("cursor").asText()).isEqualTo("next-page");
    }

    @Test
    void refusesBadQueryValuesNamingTheParameter() {
        // when
        HttpResponse<String> status = api.get("/activations?status=failed");
        HttpResponse<String> limit = api.get("/activations?limit=0");
        HttpResponse<String> twice = api.get("/activations?function=a&function=b");
        HttpResponse<String> cursor = api.get("/activations?cursor=forged");

        // then
        assertThat(status.statusCode()).isEqualTo(400);
        assertThat(message(status)).contains("?status=").contains("success").contains("'failed'");
        assertThat(limit.statusCode()).isEqualTo(400);
        assertThat(message(limit)).contains("?limit=");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(message(twice)).contains("?function=");
        assertThat(cursor.statusCode()).isEqualTo(400);
        assertThat(message(cursor)).contains("cursor").contains("forged");
    }

    @Test
    void showsOneActivationWithItsLogs() {
        // when
        HttpResponse<String> response = api.get("/activations/a-1");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode a = Json.parse(response.body());
        assertThat(a.get("id").asText()).isEqualTo("a-1");
        assertThat(a.get("function").asText()).isEqualTo("charge");
        assertThat(a.get("status").asText()).isEqualTo("success");
        assertThat(a.get("logs").asText()).isEqualTo("charging 12.50\n");
        assertThat(a.get("result").get("ok").asBoolean()).isTrue();
        assertThat(a.get("durationMs").asDouble()).isEqualTo(2000.0);
        assertThat(a.get("memoryMb").asInt()).isEqualTo(1024);
        assertThat(a.get("gbSeconds").asDouble()).isCloseTo(2.0, within(1e-12));
        assertThat(a.get("cost").asDouble()).isCloseTo(2 * 0.0000166667, within(1e-15));
        assertThat(a.get("coldStart").asBoolean()).isFalse();
        assertThat(a.get("startedAt").asText()).isEqualTo("2026-03-01T10:00:00.123456Z");
    }

    @Test
    void answers404ForAnUnknownActivation() {
        HttpResponse<String> response = api.get("/activations/nope");

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = Json.parse(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("not_found");
        assertThat(error.get("message").asText()).isEqualTo("There is no activation 'nope'");
    }

    @Test
    void answersUsagePerFunctionAndInTotal() {
        // when
        HttpResponse<String> response = api.get("/usage?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode usage = Json.parse(response.body());
        assertThat(usage.get("functions")).extracting(f -> f.get("function").asText()).containsExactly("charge", "ship");
        JsonNode charge = usage.get("functions").get(0);
        assertThat(charge.get("activations").asLong()).isEqualTo(2);
        assertThat(charge.get("gbSeconds").asDouble()).isCloseTo(2.025, within(1e-9));
        assertThat(usage.get("total").get("activations").asLong()).isEqualTo(3);
        assertThat(usage.get("total").get("cost").asDouble()).isCloseTo(2.05 * 0.0000166667, within(1e-15));
        assertThat(usage.get("from").asText()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(usage.get("to").asText()).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(usage.get("pricePerGbSecond").asDouble()).isEqualTo(0.0000166667);
        assertThat(engine.usageRanges).containsExactly(Arrays.asList(Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-04-01T00:00:00Z")));
    }

    @Test
    void leavesTheDefaultRangeToTheEngine() {
        // when
        HttpResponse<String> response = api.get("/usage");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(engine.usageRanges).containsExactly(Arrays.asList(null, null));
    }

    @Test
    void refusesAUsageBoundThatIsNoInstant() {
        HttpResponse<String> from = api.get("/usage?from=yesterday");
        HttpResponse<String> to = api.get("/usage?to=2026-03-01");

        assertThat(from.statusCode()).isEqualTo(400);
        assertThat(message(from)).startsWith("Expected ?from= to be an ISO-8601 instant").contains("'yesterday'");
        assertThat(to.statusCode()).isEqualTo(400);
        assertThat(message(to)).startsWith("Expected ?to=");
        assertThat(engine.usageRanges).isEmpty();
    }

    @Test
    void showsTheCostOfARunOnTheRunButNotInTheList() {
        // given
        engine.withRun("r-1", "hello", RunStatus.SUCCEEDED);

        // when
        JsonNode run = Json.parse(api.get("/runs/r-1").body());
        JsonNode list = Json.parse(api.get("/runs").body());

        // then
        JsonNode cost = run.get("cost");
        assertThat(cost.get("activations").asLong()).isEqualTo(2);
        assertThat(cost.get("gbSeconds").asDouble()).isCloseTo(2.025, within(1e-9));
        assertThat(cost.get("cost").asDouble()).isCloseTo(2.025 * 0.0000166667, within(1e-15));
        assertThat(list.get("runs").get(0).has("cost")).isFalse();
    }

    private static String message(HttpResponse<String> response) {
        return Json.parse(response.body()).get("error").get("message").asText();
    }
}
