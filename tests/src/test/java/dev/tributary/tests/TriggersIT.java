package dev.tributary.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 end to end against a real server process: webhooks with secrets, queue redelivery and
 * dead-lettering, a stream consumed across a kill -9, files that arrive while the server is down.
 */
class TriggersIT {

    private static final String GITHUB_SECRET = "gh-hook-s3cr3t-value";

    @TempDir
    Path dataDir;
    @TempDir
    Path drop;
    private ServerProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private void deploy(String yaml) throws Exception {
        HttpResponse<String> deploy = server.post("/deploy", yaml, Map.of("Content-Type", "application/yaml"));
        assertThat(deploy.statusCode()).as(deploy.body()).isEqualTo(200);
    }

    @Test
    void aSignedGitHubPushStartsOneRunAndTheSecretAppearsNowhere() throws Exception {
        // given
        server = new ServerProcess(dataDir).start();
        HttpResponse<String> put = server.send("PUT", "/secrets/gh-hook", "{\"value\": \"" + GITHUB_SECRET + "\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
        deploy("""
                trigger: repo
                github: { secret: "${ secret('gh-hook') }", events: [push] }
                ---
                workflow: on-push
                on: [ { trigger: repo } ]
                steps:
                  - name: note
                    set: { repo: "${ event.subject }", commits: "${ size(event.data.commits) }" }
                """);
        String push = "{\"ref\": \"refs/heads/main\", \"commits\": [{}, {}], \"repository\": {\"full_name\": \"acme/widgets\"}}";

        // when
        HttpResponse<String> first = hook(push, sign(GITHUB_SECRET, push), "push", "delivery-1");
        HttpResponse<String> replayed = hook(push, sign(GITHUB_SECRET, push), "push", "delivery-1");
        HttpResponse<String> forged = hook(push, sign("not-the-secret", push), "push", "delivery-2");
        HttpResponse<String> ignored = hook(push, sign(GITHUB_SECRET, push), "issues", "delivery-3");

        // then
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(ignored.statusCode()).isEqualTo(200);
        String runId = server.json(first).path("runs").path(0).asText();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(server.json(server.get("/runs/" + runId)).path("status").asText()).isEqualTo("SUCCEEDED"));
        JsonNode run = server.json(server.get("/runs/" + runId));
        assertThat(run.path("data").path("repo").asText()).isEqualTo("acme/widgets");
        assertThat(run.path("data").path("commits").asInt()).isEqualTo(2);
        assertThat(server.json(server.get("/runs?workflow=on-push")).path("runs")).hasSize(1);
        String everything = server.get("/runs/" + runId + "/history").body() + run + server.get("/triggers/repo").body()
                + server.get("/secrets").body() + forged.body() + logs();
        assertThat(everything).doesNotContain(GITHUB_SECRET);
    }

    @Test
    void aMessageThatKeepsFailingIsDeliveredFiveTimesThenDeadLettered() throws Exception {
        // given
        server = new ServerProcess(dataDir).start();
        deploy("""
                trigger: orders
                queue: orders
                ---
                function: reject
                runtime: process
                handler: sh -c 'echo rejected >&2; exit 3'
                ---
                rule: take-orders
                trigger: orders
                call: reject
                """);

        // when
        HttpResponse<String> sent = server.post("/queues/orders/messages", "{\"message\": {\"id\": 1}}");

        // then
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode stats = server.json(server.get("/queues/orders"));
            assertThat(stats.path("deadLettered").asInt()).as(stats.toString()).isEqualTo(1);
            assertThat(stats.path("depth").asInt() + stats.path("inFlight").asInt() + stats.path("delayed").asInt()).isZero();
        });
        JsonNode firings = server.json(server.get("/triggers/orders")).path("lastFirings");
        assertThat(firings).hasSize(5).allSatisfy(f -> assertThat(f.path("status").asText()).isEqualTo("failed"));
        List<String> deliveries = new ArrayList<>();
        firings.forEach(f -> deliveries.add(f.path("eventId").asText().replaceAll(".*/", "")));
        assertThat(deliveries).containsExactlyInAnyOrder("1", "2", "3", "4", "5");
    }

    @Test
    void aStreamConsumedAcrossAKill9DeliversEveryRecordOnceInOrderPerKey() throws Exception {
        // given: 200 records on four keys, a rule whose runs each take a batch of up to 5
        server = new ServerProcess(dataDir).start();
        deploy("""
                trigger: clicks
                stream: clicks
                batch: 5
                start: oldest
                ---
                workflow: tally
                steps:
                  - name: count
                    set: { count: "${ size(data.records) }" }
                ---
                rule: tally-clicks
                trigger: clicks
                workflow: tally
                """);
        for (int i = 0; i < 200; i++) { // one after another: put order is the order to keep per key
            HttpResponse<String> put = server.post("/streams/clicks/records",
                    "{\"partitionKey\": \"user-" + (i % 4) + "\", \"data\": {\"n\": " + i + "}}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> runs("tally").size() >= 3);

        // when: killed while it works through the stream, then started again
        server.restart();

        // then: every record reached exactly one run, and each key's records carry increasing sequences in put order
        await().atMost(Duration.ofSeconds(60)).until(() -> records(runs("tally")).values().stream().mapToInt(Map::size).sum() >= 200);
        Map<String, TreeMap<Long, Integer>> byKey = records(runs("tally"));
        assertThat(byKey).hasSize(4);
        byKey.forEach((key, records) -> {
            assertThat(records).as(key).hasSize(50);
            assertThat(new ArrayList<>(records.values())).as(key).isSorted();
        });
    }

    @Test
    void aFileDroppedWhileTheServerWasDownFiresAfterTheRestartAndSeenFilesDoNotFireAgain() throws Exception {
        // given
        server = new ServerProcess(dataDir).start();
        deploy("""
                trigger: drop
                files: { dir: "%s", glob: "*.csv" }
                ---
                function: size-of
                runtime: expr
                expr: ${ input.size }
                ---
                rule: measure
                trigger: drop
                call: size-of
                """.formatted(drop.toString().replace("\\", "/")));
        Files.writeString(drop.resolve("before.csv"), "1,2\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> firings("drop").size() == 1);

        // when
        server.kill9();
        Files.writeString(drop.resolve("during.csv"), "3,4,5\n");
        server.start();

        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> firings("drop").size() == 2);
        List<String> events = new ArrayList<>();
        firings("drop").forEach(f -> events.add(f.path("eventId").asText()));
        assertThat(events).anyMatch(e -> e.contains("/created/before.csv/")).anyMatch(e -> e.contains("/created/during.csv/"));
        // nothing more may fire over a debounce window and then some
        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5)).until(() -> firings("drop").size() == 2);
    }

    @Test
    void aOneSecondCronStartsARunEverySecondForItsSlot() throws Exception {
        // given
        server = new ServerProcess(dataDir).start();
        deploy("""
                trigger: tick
                cron: "*/1 * * * * ?"
                ---
                workflow: on-tick
                on: [ { trigger: tick } ]
                steps:
                  - name: note
                    set: { slot: "${ event.data.scheduledFor }" }
                """);

        // when
        JsonNode trigger = server.json(server.get("/triggers/tick"));

        // then
        assertThat(trigger.path("nextFires")).hasSize(3);
        java.time.Instant first = java.time.Instant.parse(trigger.path("nextFires").path(0).asText());
        assertThat(java.time.Instant.parse(trigger.path("nextFires").path(1).asText())).isEqualTo(first.plusSeconds(1));
        await().atMost(Duration.ofSeconds(15)).until(() -> runs("on-tick").size() >= 3);
        List<String> slots = new ArrayList<>();
        for (JsonNode run : runs("on-tick")) {
            JsonNode ended = server.json(server.get("/runs/" + run.path("id").asText()));
            if (ended.path("status").asText().equals("SUCCEEDED")) {
                slots.add(ended.path("data").path("slot").asText());
            }
        }
        assertThat(slots).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates()
                .allSatisfy(slot -> assertThat(java.time.Instant.parse(slot).getNano()).isZero());
    }

    private JsonNode firings(String trigger) throws Exception {
        return server.json(server.get("/triggers/" + trigger)).path("lastFirings");
    }

    private List<JsonNode> runs(String workflow) throws Exception {
        List<JsonNode> runs = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = server.json(server.get("/runs?workflow=" + workflow + "&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.path("runs").forEach(runs::add);
            cursor = page.path("cursor").isNull() ? null : page.path("cursor").asText(null);
        } while (cursor != null);
        return runs;
    }

    /** Per partition key, sequence → the record's n; a record seen twice fails the test. */
    private static Map<String, TreeMap<Long, Integer>> records(List<JsonNode> runs) {
        Map<String, TreeMap<Long, Integer>> byKey = new HashMap<>();
        for (JsonNode run : runs) {
            for (JsonNode r : run.path("input").path("records")) {
                Integer before = byKey.computeIfAbsent(r.path("partitionKey").asText(), k -> new TreeMap<>())
                        .put(r.path("sequence").asLong(), r.path("data").path("n").asInt());
                assertThat(before).as("record %s delivered twice", r).isNull();
            }
        }
        return byKey;
    }

    private HttpResponse<String> hook(String body, String signature, String event, String delivery) throws Exception {
        return server.post("/hooks/github/repo", body, Map.of("Content-Type", "application/json", "X-Hub-Signature-256", signature,
                "X-GitHub-Event", event, "X-GitHub-Delivery", delivery));
    }

    private static String sign(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private String logs() throws Exception {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dataDir)) {
            for (Path log : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                all.append(Files.readString(log));
            }
        }
        return all.toString();
    }
}
