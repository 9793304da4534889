package dev.tributary.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /secrets}: a value goes in, names come out, and no answer ever repeats a value. */
class ApiSecretRoutesTest {

    private static final String VALUE = "hunter2-very-secret";

    private final FakeEngine engine = new FakeEngine();
    private final TestApi api = new TestApi(engine);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void putStoresTheValueAndAnswers204() {
        // when
        HttpResponse<String> response = put("/secrets/gh-token", "{\"value\": \"" + VALUE + "\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(engine.secretValues).containsEntry("gh-token", VALUE);
    }

    @Test
    void listsNamesAndTimesOnly() {
        // given
        put("/secrets/b", "{\"value\": \"" + VALUE + "\"}");
        put("/secrets/a", "{\"value\": \"other\"}");

        // when
        HttpResponse<String> response = api.get("/secrets");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body()).toString()).isEqualTo("{\"secrets\":["
                + "{\"name\":\"a\",\"updatedAt\":\"2026-01-02T03:04:05Z\"},{\"name\":\"b\",\"updatedAt\":\"2026-01-02T03:04:05Z\"}]}");
    }

    @Test
    void deleteAnswers204ThenNotFound() {
        // given
        put("/secrets/tok", "{\"value\": \"" + VALUE + "\"}");

        // when
        HttpResponse<String> first = delete("/secrets/tok");
        HttpResponse<String> second = delete("/secrets/tok");

        // then
        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(second.statusCode()).isEqualTo(404);
        assertThat(Json.parse(second.body()).at("/error/message").asText())
                .isEqualTo("There is no secret 'tok'; GET /api/v1/secrets lists the stored ones");
    }

    @Test
    void refusesABodyItCannotReadWithoutQuotingIt() {
        // when: malformed, a value that is not text, extra fields, an empty value
        HttpResponse<String> malformed = put("/secrets/tok", "{\"value\": " + VALUE + "}");
        HttpResponse<String> number = put("/secrets/tok", "{\"value\": 42}");
        HttpResponse<String> extra = put("/secrets/tok", "{\"value\": \"" + VALUE + "\", \"note\": \"" + VALUE + "\"}");
        HttpResponse<String> empty = put("/secrets/tok", "{\"value\": \"\"}");

        // then
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(Json.parse(malformed.body()).at("/error/message").asText())
                .isEqualTo("Expected secret 'tok' as JSON {\"value\": \"...\"}, but the body is not valid JSON (or is nested too deep)");
        assertThat(number.statusCode()).isEqualTo(400);
        assertThat(extra.statusCode()).isEqualTo(400);
        assertThat(Json.parse(extra.body()).at("/error/message").asText()).contains("one field, the value as a string");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(Json.parse(empty.body()).at("/error/code").asText()).isEqualTo("bad_request");
        for (HttpResponse<String> r : java.util.List.of(malformed, number, extra, empty)) {
            assertThat(r.body()).doesNotContain(VALUE).doesNotContain("hunter2");
        }
        assertThat(engine.secretValues).isEmpty();
    }

    @Test
    void needsTheKey() {
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/secrets/tok"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\": \"" + VALUE + "\"}")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(engine.secretValues).isEmpty();
    }

    private HttpResponse<String> put(String path, String json) {
        return api.send(api.authorized(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> delete(String path) {
        return api.send(api.authorized(path).DELETE());
    }
}
