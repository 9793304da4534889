package dev.tributary.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's event samples (samples/definitions/github-push.yaml, month-end.yaml, ifttt.yaml) deployed by
 * {@code trib server --samples} into one real server process, each checked by its outcome.
 */
class EventSamplesIT {

    private static final String GITHUB_SECRET = "It's a Secret to Everybody";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    @TempDir
    static Path workDir;
    private static ServerProcess server;

    @BeforeAll
    static void startWithSamples() throws Exception {
        server = new ServerProcess(dataDir, "--samples", "--samples-dir",
                Path.of("../samples/definitions").toAbsolutePath().toString()).start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSignedPushActivatesThePythonFunctionWhichAnswersTheDescriptionAndLogs() throws Exception {
        // given: the samples were deployed before the trigger's secret existed
        assertThat(server.get("/triggers/github-push").statusCode()).isEqualTo(200);
        String push = """
                {"ref": "refs/heads/main", "commits": [{"id": "c1"}, {"id": "c2"}],
                 "repository": {"full_name": "octo/hello", "description": "Hello from the webhook"}}""";
        HttpResponse<String> beforeSecret = hook(push, sign(GITHUB_SECRET, push), "delivery-0");
        HttpResponse<String> put = server.send("PUT", "/secrets/github-webhook", "{\"value\": \"" + GITHUB_SECRET + "\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(204);

        // when
        HttpResponse<String> signed = hook(push, sign(GITHUB_SECRET, push), "delivery-1");
        HttpResponse<String> forged = hook(push, sign("not-the-secret", push), "delivery-2");

        // then
        assertThat(beforeSecret.statusCode()).as(beforeSecret.body()).isEqualTo(503);
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(202);
        assertThat(server.json(signed).path("rules").toString()).contains("github-push-describe");
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
        JsonNode activation = await().atMost(WAIT).until(
                () -> server.json(server.get("/activations?function=github-push.describe")).path("activations"),
                list -> list.size() > 0).get(0);
        assertThat(server.json(server.get("/activations?function=github-push.describe")).path("activations")).hasSize(1);
        assertThat(activation.path("status").asText()).isEqualTo("success");
        assertThat(activation.path("result").asText()).isEqualTo("Hello from the webhook");
        String id = activation.path("id").asText();
        assertThat(server.json(server.get("/activations/" + id)).path("logs").asText())
                .contains("push to octo/hello refs/heads/main: 2 commit(s)");
        TribProcess.Result logs = TribProcess.run(workDir, "activations", "logs", id, "--server", server.url(), "--api-key", ServerProcess.KEY);
        assertThat(logs.exitCode()).as(logs.err()).isZero();
        assertThat(logs.out()).contains("push to octo/hello refs/heads/main: 2 commit(s)");
    }

    @Test
    void theMonthEndTriggerFiresOnMonthEndsAndOnDemandWritesTheMonthsReport() throws Exception {
        // given
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        JsonNode trigger = server.json(server.get("/triggers/month-end"));
        // 2026-10 is another month's partition: not counted
        for (var sale : Map.of("2026-11/s1", "19.99", "2026-11/s2", "5.01", "2026-11/s3", "100", "2026-10/s9", "7").entrySet()) {
            HttpResponse<String> row = server.send("PUT", "/tables/sales/items/" + sale.getKey(), "{\"amount\": " + sale.getValue() + "}");
            assertThat(row.statusCode()).as(row.body()).isEqualTo(200);
        }

        // when
        HttpResponse<String> fired = server.post("/triggers/month-end/fire", "{\"scheduledFor\": \"2026-11-30T01:00:00Z\"}");

        // then: each next fire is the last day of a month at 02:00 Berlin time
        assertThat(trigger.path("nextFires")).hasSize(3).allSatisfy(at -> {
            ZonedDateTime local = Instant.parse(at.asText()).atZone(berlin);
            assertThat(local.toLocalTime()).isEqualTo(LocalTime.of(2, 0));
            assertThat(local.toLocalDate()).isEqualTo(local.toLocalDate().with(TemporalAdjusters.lastDayOfMonth()));
        });
        assertThat(fired.statusCode()).as(fired.body()).isEqualTo(202);
        String runId = server.json(fired).path("runs").path(0).asText();
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(server.json(server.get("/runs/" + runId)).path("status").asText()).isEqualTo("SUCCEEDED"));
        JsonNode report = server.json(server.get("/tables/reports/items/sales-monthly/2026-11"));
        assertThat(report.path("count").asInt()).isEqualTo(3);
        assertThat(report.path("total").decimalValue()).isEqualByComparingTo("125.00");
        assertThat(server.json(server.get("/runs/" + runId)).path("output").path("month").asText()).isEqualTo("2026-11");
    }

    @Test
    void aSignUpFiresRuleAWhoseEmittedWelcomeFiresRuleBsWorkflow() throws Exception {
        // when
        HttpResponse<String> fired = server.post("/triggers/ifttt-signup/fire", "{\"email\": \"bo@example.com\", \"name\": \"Bo\"}");

        // then: A's event.emit activation, then B's run and the row it wrote
        assertThat(fired.statusCode()).as(fired.body()).isEqualTo(202);
        assertThat(server.json(fired).path("rules").toString()).contains("ifttt-signup-welcome");
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> row = server.get("/tables/welcomes/items/welcome/bo@example.com");
            assertThat(row.statusCode()).as(row.body()).isEqualTo(200);
            assertThat(server.json(row).path("greeting").asText()).isEqualTo("Welcome, Bo!");
        });
        JsonNode emit = server.json(server.get("/activations?function=event.emit")).path("activations");
        assertThat(emit).anySatisfy(a -> {
            assertThat(a.path("status").asText()).isEqualTo("success");
            assertThat(a.path("idempotencyKey").asText()).endsWith("/ifttt-signup-welcome");
        });
        JsonNode runs = server.json(server.get("/runs?workflow=ifttt-welcome")).path("runs");
        assertThat(runs).anySatisfy(run -> {
            assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(run.path("output").asText()).isEqualTo("Welcome, Bo!");
        });
    }

    private static HttpResponse<String> hook(String body, String signature, String delivery) throws Exception {
        return server.post("/hooks/github/github-push", body, Map.of("Content-Type", "application/json",
                "X-GitHub-Event", "push", "X-GitHub-Delivery", delivery, "X-Hub-Signature-256", signature));
    }

    /** What GitHub sends: {@code sha256=} and the hex HMAC-SHA256 of the raw body. */
    private static String sign(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
