package dev.tributary.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, samples 1–3 as a newcomer meets them: one {@code trib server --samples} process, then
 * the web function (samples/definitions/web-hello.yaml), stream → python → table (clicks.yaml) and
 * queue → table (orders-in.yaml), driven over HTTP and through the real CLI.
 */
class DataSamplesIT {

    private static final Path SAMPLES = Path.of("../samples/definitions").toAbsolutePath();

    @TempDir
    static Path dataDir;
    @TempDir
    static Path workDir;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = new ServerProcess(dataDir, "--samples", "--samples-dir", SAMPLES.toString()).start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void theWebFunctionGreetsTheNameFromTheQueryOrTheJsonBody() throws Exception {
        // when
        HttpResponse<String> get = server.get("/hooks/hello?name=Ada");
        HttpResponse<String> post = server.post("/hooks/hello", "{\"name\": \"Grace\"}");

        // then
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("hello world to Ada");
        assertThat(get.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("hello world to Grace");
    }

    @Test
    void streamRecordsPutWhileTheRuleWasOffArriveInBatchesAndAllBecomeRows() throws Exception {
        // given: the rule is off, so 20 records on four keys pile up on the stream
        assertThat(server.post("/rules/clicks-to-table/disable", "").statusCode()).isEqualTo(200);
        Map<Integer, Integer> recordsPerShard = new HashMap<>();
        TribProcess.Result cli = trib("stream", "put", "clicks", "--partition-key", "p0", "--data", click(0));
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        recordsPerShard.merge(shardOf(cli.out()), 1, Integer::sum);
        for (int n = 1; n < 20; n++) {
            HttpResponse<String> put = server.post("/streams/clicks/records",
                    "{\"partitionKey\": \"p" + n % 4 + "\", \"data\": " + click(n) + "}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
            recordsPerShard.merge(server.json(put).path("shard").asInt(), 1, Integer::sum);
        }

        // when
        assertThat(server.post("/rules/clicks-to-table/enable", "").statusCode()).isEqualTo(200);

        // then: every record is a row with its decoded text
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(rows("clicks", "p0", "p1", "p2", "p3")).hasSize(20));
        for (int n = 0; n < 20; n++) {
            JsonNode row = server.json(server.get("/tables/clicks/items/p" + n % 4 + "/" + rowKey(n)));
            assertThat(row.path("text").asText()).isEqualTo("click number " + n);
        }
        TribProcess.Result got = trib("table", "get", "clicks", "p0", rowKey(0), "-o", "json");
        assertThat(got.exitCode()).as(got.err()).isZero();
        assertThat(ServerProcess.JSON.readTree(got.out()).path("text").asText()).isEqualTo("click number 0");

        // and: each shard's records came as batches of up to 10, each batch one served firing
        int expectedBatches = recordsPerShard.values().stream().mapToInt(count -> (count + 9) / 10).sum();
        List<Integer> batchSizes = new ArrayList<>();
        for (JsonNode firing : server.json(server.get("/triggers/clicks-stream")).path("lastFirings")) {
            assertThat(firing.path("status").asText()).as(firing.toString()).isEqualTo("served");
            String[] range = firing.path("eventId").asText().split("/")[3].split("-"); // <trigger>/<rule>/<shard>/<from>-<to>/<attempt>
            batchSizes.add(Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1);
        }
        assertThat(batchSizes).hasSize(expectedBatches).allSatisfy(size -> assertThat(size).isBetween(1, 10));
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
        assertThat(batchSizes).anySatisfy(size -> assertThat(size).isGreaterThan(1));
    }

    @Test
    void queueMessagesBecomeRowsAndTheQueueIsEmptyAfterwards() throws Exception {
        // when
        TribProcess.Result sent = trib("queue", "send", "orders-in", "--message", order(0));
        assertThat(sent.exitCode()).as(sent.err()).isZero();
        for (int n = 1; n < 5; n++) {
            HttpResponse<String> send = server.post("/queues/orders-in/messages", "{\"message\": " + order(n) + "}");
            assertThat(send.statusCode()).as(send.body()).isEqualTo(202);
        }

        // then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rows("orders-in", "2026-05")).hasSize(5));
        TribProcess.Result query = trib("table", "query", "orders-in", "--partition-key", "2026-05", "-o", "json");
        assertThat(query.exitCode()).as(query.err()).isZero();
        JsonNode items = ServerProcess.JSON.readTree(query.out()).path("items");
        assertThat(items).hasSize(5);
        for (int n = 0; n < 5; n++) {
            assertThat(items.path(n).path("RowKey").asText()).isEqualTo("o-" + n);
            assertThat(items.path(n).path("content").asText()).isEqualTo(n + 1 + " widgets");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode stats = server.json(server.get("/queues/orders-in"));
            assertThat(stats.path("depth").asInt() + stats.path("inFlight").asInt() + stats.path("delayed").asInt()
                    + stats.path("deadLettered").asInt()).as(stats.toString()).isZero();
        });
    }

    private static TribProcess.Result trib(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", server.url(), "--api-key", ServerProcess.KEY));
        return TribProcess.run(workDir, all.toArray(String[]::new));
    }

    /** A stream record's data as the sample expects it: a JSON string, base64 of the row's JSON. */
    private static String click(int n) {
        String row = "{\"PartitionKey\": \"p" + n % 4 + "\", \"RowKey\": \"" + rowKey(n) + "\", \"text\": \"click number " + n + "\"}";
        return "\"" + Base64.getEncoder().encodeToString(row.getBytes(StandardCharsets.UTF_8)) + "\"";
    }

    private static String rowKey(int n) {
        return "r%02d".formatted(n);
    }

    private static String order(int n) {
        return "{\"PartitionKey\": \"2026-05\", \"RowKey\": \"o-" + n + "\", \"content\": \"" + (n + 1) + " widgets\"}";
    }

    /** "Put record 1 on shard 3 of stream clicks" → 3. */
    private static int shardOf(String cliOutput) {
        return Integer.parseInt(cliOutput.replaceAll("(?s).*on shard (\\d+) .*", "$1"));
    }

    /** Every row of these partitions of a table. */
    private static List<JsonNode> rows(String table, String... partitions) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String partition : partitions) {
            server.json(server.get("/tables/" + table + "/items?partitionKey=" + partition)).path("items").forEach(rows::add);
        }
        return rows;
    }
}
