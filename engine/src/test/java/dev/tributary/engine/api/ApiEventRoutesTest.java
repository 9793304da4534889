package dev.tributary.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /events}: CloudEvents in structured and binary mode. */
class ApiEventRoutesTest {

    private final FakeEngine engine = new FakeEngine();
    private final TestApi api = new TestApi(engine);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void acceptsAStructuredEvent() {
        // given
        String event = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/shop\",\"type\":\"order.placed\","
                + "\"subject\":\"o-7\",\"data\":{\"total\":12}}";

        // when
        HttpResponse<String> response = api.send(api.authorized("/events").header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(event)));

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(Json.parse(response.body()).get("id").asText()).isEqualTo("e-1");
        assertThat(engine.published).containsExactly(Json.parse(event));
    }

    @Test
    void acceptsAStructuredEventSentAsPlainJson() {
        HttpResponse<String> response = api.post("/events",
                "{\"specversion\":\"1.0\",\"id\":\"e-2\",\"source\":\"s\",\"type\":\"t\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(engine.published).hasSize(1);
    }

    @Test
    void convertsABinaryModeEventToItsStructuredForm() {
        // when
        HttpResponse<String> response = api.send(api.authorized("/events")
                .header("Content-Type", "application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", "e-3")
                .header("ce-source", "/github")
                .header("ce-type", "review.decided")
                .header("ce-subject", "order%207")
                .header("ce-time", "2026-01-02T03:04:05Z")
                .header("ce-traceparent", "00-abc-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"approved\":true}")));

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode event = engine.published.get(0);
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("id").asText()).isEqualTo("e-3");
        assertThat(event.get("source").asText()).isEqualTo("/github");
        assertThat(event.get("type").asText()).isEqualTo("review.decided");
        assertThat(event.get("subject").asText()).isEqualTo("order 7");
        assertThat(event.get("time").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(event.get("traceparent").asText()).isEqualTo("00-abc-01");
        assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(event.get("data").toString()).isEqualTo("{\"approved\":true}");
    }

    @Test
    void keepsBinaryModeTextAsTextAndBytesAsBase64() {
        // when
        api.send(binary("e-4").header("Content-Type", "text/plain; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString("héllo")));
        api.send(binary("e-5").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0, 1, (byte) 0xFF})));
        api.send(binary("e-6").POST(HttpRequest.BodyPublishers.noBody()));

        // then
        assertThat(engine.published.get(0).get("data").asText()).isEqualTo("héllo");
        assertThat(engine.published.get(1).get("data_base64").asText()).isEqualTo("AAH/");
        assertThat(engine.published.get(1).has("data")).isFalse();
        assertThat(engine.published.get(2).has("data")).isFalse();
    }

    @Test
    void namesTheMissingAttributes() {
        // when
        HttpResponse<String> structured = api.send(api.authorized("/events").header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"specversion\":\"1.0\",\"type\":\"t\"}")));
        HttpResponse<String> binaryMode = api.send(api.authorized("/events").header("ce-specversion", "1.0")
                .header("ce-type", "t").header("ce-id", "x").POST(HttpRequest.BodyPublishers.noBody()));

        // then
        assertThat(structured.statusCode()).isEqualTo(400);
        JsonNode error = Json.parse(structured.body()).get("error");
        assertThat(error.get("message").asText()).contains("id, source");
        assertThat(error.get("details")).extracting(d -> d.get("attribute").asText()).containsExactly("id", "source");
        assertThat(binaryMode.statusCode()).isEqualTo(400);
        assertThat(binaryMode.body()).contains("ce-source");
        assertThat(engine.published).isEmpty();
    }

    @Test
    void refusesOtherSpecVersionsBadTimesAndNonObjects() {
        assertThat(api.post("/events", "{\"specversion\":\"0.3\",\"id\":\"i\",\"source\":\"s\",\"type\":\"t\"}").statusCode())
                .isEqualTo(400);
        assertThat(api.post("/events", "{\"specversion\":\"1.0\",\"id\":\"i\",\"source\":\"s\",\"type\":\"t\",\"time\":\"noon\"}")
                .statusCode()).isEqualTo(400);
        assertThat(api.post("/events", "[1,2]").statusCode()).isEqualTo(400);
        assertThat(api.post("/events", "{\"specversion\":\"1.0\",\"id\":").statusCode()).isEqualTo(400);
    }

    @Test
    void refusesBatchesAndBodiesThatAreNoEvent() {
        HttpResponse<String> batch = api.send(api.authorized("/events").header("Content-Type", "application/cloudevents-batch+json")
                .POST(HttpRequest.BodyPublishers.ofString("[]")));
        HttpResponse<String> text = api.send(api.authorized("/events").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));

        assertThat(batch.statusCode()).isEqualTo(415);
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(text.body()).contains("ce-specversion");
    }

    @Test
    void reportsARepeatedIdAsADuplicate() {
        String event = "{\"specversion\":\"1.0\",\"id\":\"same\",\"source\":\"s\",\"type\":\"t\"}";

        assertThat(Json.parse(api.post("/events", event).body()).get("duplicate").asBoolean()).isFalse();
        HttpResponse<String> again = api.post("/events", event);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(Json.parse(again.body()).get("duplicate").asBoolean()).isTrue();
    }

    private HttpRequest.Builder binary(String id) {
        return api.authorized("/events").header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "s")
                .header("ce-type", "t");
    }
}
