package dev.tributary.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.stream.StreamStore;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /queues/{name}} and {@code /streams/{name}}: sending, putting and the counts. */
class ApiQueueStreamRoutesTest {

    private final FakeEngine engine = new FakeEngine();
    private final TestApi api = new TestApi(engine);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void sendsAMessageOfAnyJsonAndCountsIt() {
        // when
        HttpResponse<String> sent = api.post("/queues/orders/messages", "{\"message\": {\"orderId\": 7}}");
        HttpResponse<String> text = api.post("/queues/orders/messages", "{\"message\": \"plain\"}");
        HttpResponse<String> stats = api.get("/queues/orders");

        // then
        assertThat(sent.statusCode()).isEqualTo(202);
        assertThat(Json.parse(sent.body()).path("id").asText()).isNotEmpty();
        assertThat(text.statusCode()).isEqualTo(202);
        assertThat(engine.sentMessages.get("orders")).containsExactly(Json.parse("{\"orderId\": 7}"), Json.parse("\"plain\""));
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(Json.parse(stats.body())).isEqualTo(Json.parse(
                "{\"name\":\"orders\",\"depth\":2,\"inFlight\":0,\"delayed\":0,\"deadLettered\":0}"));
    }

    @Test
    void refusesAMessageThatIsMissingOrNullAndABadQueueName() {
        HttpResponse<String> missing = api.post("/queues/orders/messages", "{\"msg\": 1}");
        HttpResponse<String> nul = api.post("/queues/orders/messages", "{\"message\": null}");
        HttpResponse<String> notObject = api.post("/queues/orders/messages", "[1]");
        HttpResponse<String> badName = api.post("/queues/Orders!/messages", "{\"message\": 1}");

        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(error(missing).path("message").asText()).isEqualTo(
                "Expected 'message' in the body {\"message\": <any JSON>}, but it is missing");
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(notObject.statusCode()).isEqualTo(400);
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(error(badName).path("message").asText()).startsWith("Expected a queue name of lower-case letters");
        assertThat(engine.sentMessages).isEmpty();
    }

    @Test
    void putsRecordsAndShowsEachShardsNewestSequence() {
        // when
        HttpResponse<String> first = api.post("/streams/clicks/records", "{\"partitionKey\": \"user-1\", \"data\": \"aGk=\"}");
        HttpResponse<String> second = api.post("/streams/clicks/records", "{\"partitionKey\": \"user-1\", \"data\": {\"x\": 1}}");
        HttpResponse<String> info = api.get("/streams/clicks");

        // then
        int shard = StreamStore.shardOf("user-1");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(Json.parse(first.body())).isEqualTo(Json.parse("{\"sequence\":1,\"shard\":" + shard + "}"));
        assertThat(Json.parse(second.body()).path("sequence").asLong()).isEqualTo(2);
        assertThat(info.statusCode()).isEqualTo(200);
        JsonNode shards = Json.parse(info.body()).path("shards");
        assertThat(shards).hasSize(StreamStore.SHARDS);
        assertThat(shards.get(shard)).isEqualTo(Json.parse("{\"shard\":" + shard + ",\"latestSequence\":2}"));
    }

    @Test
    void refusesARecordWithoutAStringKeyOrData() {
        HttpResponse<String> noKey = api.post("/streams/clicks/records", "{\"data\": 1}");
        HttpResponse<String> numberKey = api.post("/streams/clicks/records", "{\"partitionKey\": 5, \"data\": 1}");
        HttpResponse<String> noData = api.post("/streams/clicks/records", "{\"partitionKey\": \"k\"}");

        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(numberKey.statusCode()).isEqualTo(400);
        assertThat(error(numberKey).path("message").asText()).contains("'partitionKey'").contains("to be a string, but it is a number");
        assertThat(noData.statusCode()).isEqualTo(400);
        assertThat(engine.putRecords).isEmpty();
    }

    @Test
    void refusesABodyOverTheLimit() {
        HttpResponse<String> response = api.post("/queues/orders/messages", "{\"message\": \"" + "x".repeat(1 << 20) + "\"}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(engine.sentMessages).isEmpty();
    }

    private static JsonNode error(HttpResponse<String> response) {
        return Json.parse(response.body()).path("error");
    }
}
