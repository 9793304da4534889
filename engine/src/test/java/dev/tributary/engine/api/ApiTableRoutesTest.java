package dev.tributary.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /tables/{t}/items...} against a real node on H2: the routes translate, the node's store keeps the items. */
class ApiTableRoutesTest {

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private NodeServer server;

    @BeforeEach
    void start() throws IOException {
        server = NodeServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void putsGetsAndDeletesAnItemWhoseKeysComeFromThePath() {
        // when
        HttpResponse<String> put = send("PUT", "/tables/customers/items/eu/c-1", "{\"name\": \"Ada\", \"PartitionKey\": \"us\"}");
        HttpResponse<String> got = send("GET", "/tables/customers/items/eu/c-1", null);
        HttpResponse<String> deleted = send("DELETE", "/tables/customers/items/eu/c-1", null);
        HttpResponse<String> gone = send("GET", "/tables/customers/items/eu/c-1", null);
        HttpResponse<String> deletedAgain = send("DELETE", "/tables/customers/items/eu/c-1", null);

        // then
        assertThat(put.statusCode()).isEqualTo(200);
        String etag = Json.parse(put.body()).get("etag").asText();
        assertThat(put.headers().firstValue("ETag")).hasValue("\"" + etag + "\"");
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(Json.parse(got.body())).isEqualTo(Json.parse("{\"name\": \"Ada\", \"PartitionKey\": \"eu\", \"RowKey\": \"c-1\"}"));
        assertThat(got.headers().firstValue("ETag")).hasValue("\"" + etag + "\"");
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(error(gone).get("code").asText()).isEqualTo("not_found");
        assertThat(error(gone).get("message").asText())
                .isEqualTo("There is no item with PartitionKey 'eu' and RowKey 'c-1' in table 'customers'");
        assertThat(deletedAgain.statusCode()).isEqualTo(404);
    }

    @Test
    void listsAPartitionInRowKeyOrderPageByPage() {
        // given
        for (String rk : new String[] {"c", "a", "b"}) {
            assertThat(send("PUT", "/tables/things/items/p/" + rk, "{\"v\": \"" + rk + "\"}").statusCode()).isEqualTo(200);
        }
        send("PUT", "/tables/things/items/q/z", "{}");

        // when
        JsonNode first = Json.parse(send("GET", "/tables/things/items?partitionKey=p&limit=2", null).body());
        JsonNode second = Json.parse(send("GET", "/tables/things/items?partitionKey=p&limit=2&cursor="
                + first.get("cursor").asText(), null).body());
        JsonNode all = Json.parse(send("GET", "/tables/things/items?partitionKey=p", null).body());

        // then
        assertThat(first.get("items")).extracting(i -> i.get("v").asText()).containsExactly("a", "b");
        assertThat(second.get("items")).extracting(i -> i.get("v").asText()).containsExactly("c");
        assertThat(second.get("cursor").isNull()).isTrue();
        assertThat(all.get("items")).hasSize(3);
    }

    @Test
    void keysArePercentDecodedFromThePath() {
        // when
        send("PUT", "/tables/people/items/caf%C3%A9/ada%20lovelace", "{}");

        // then
        assertThat(server.node.tables().get("people", "caf\u00e9", "ada lovelace")).isPresent();
        assertThat(Json.parse(send("GET", "/tables/people/items/caf%C3%A9/ada%20lovelace", null).body()).get("RowKey").asText())
                .isEqualTo("ada lovelace");
    }

    @Test
    void refusesWhatTheTableRulesDoNotAllowNamingIt() {
        // when
        HttpResponse<String> badTable = send("PUT", "/tables/9lives/items/p/r", "{}");
        HttpResponse<String> notObject = send("PUT", "/tables/t/items/p/r", "[1, 2]");
        HttpResponse<String> slashInKey = send("GET", "/tables/t/items/p/a%2Fb", null);
        HttpResponse<String> noPartition = send("GET", "/tables/t/items", null);
        HttpResponse<String> badLimit = send("GET", "/tables/t/items?partitionKey=p&limit=5000", null);
        HttpResponse<String> badCursor = send("GET", "/tables/t/items?partitionKey=p&cursor=%21%21", null);
        // a body just within the request limit, which the stored keys push over the item limit
        HttpResponse<String> tooBig = send("PUT", "/tables/t/items/p/r", "{\"d\": \"" + "x".repeat(1024 * 1024 - 10) + "\"}");

        // then
        assertThat(badTable.statusCode()).isEqualTo(400);
        assertThat(error(badTable).get("message").asText()).startsWith("Expected a table name").contains("'9lives'");
        assertThat(notObject.statusCode()).isEqualTo(400);
        assertThat(error(notObject).get("message").asText()).isEqualTo("Expected the item to be a JSON object, but it is array");
        assertThat(slashInKey.statusCode()).isEqualTo(400);
        assertThat(error(slashInKey).get("message").asText()).contains("'/' at index 1");
        assertThat(noPartition.statusCode()).isEqualTo(400);
        assertThat(error(noPartition).get("message").asText()).contains("?partitionKey=");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badCursor.statusCode()).isEqualTo(400);
        assertThat(error(badCursor).get("message").asText()).contains("Expected a cursor");
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(error(tooBig).get("message").asText()).contains("over the limit 'table item' of 1048576 bytes");
    }

    private HttpResponse<String> send(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/api/v1" + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + NodeServer.KEY)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode error(HttpResponse<String> response) {
        return Json.parse(response.body()).get("error");
    }
}
