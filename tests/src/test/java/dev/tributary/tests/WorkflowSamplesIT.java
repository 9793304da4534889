package dev.tributary.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, the workflow samples as a newcomer meets them: one real {@code trib server --samples},
 * then the parallel map (π by Monte Carlo over 200 python activations) and the SPEC's order
 * workflow (a retried charge, a review wait resumed by an event, a declined card caught).
 */
class WorkflowSamplesIT {

    private static final Path SAMPLES = Path.of("../samples/definitions").toAbsolutePath();

    @TempDir
    static Path dataDir;
    @TempDir
    static Path workDir;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = new ServerProcess(dataDir, "--samples", "--samples-dir", SAMPLES.toString()).start();
        // the node answers /health before it has deployed the samples (the "samples:" line comes after)
        await().atMost(Duration.ofSeconds(30)).until(() -> server.get("/workflows/parallel-pi").statusCode() == 200
                && server.get("/workflows/order-fulfilment").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void parallelPiEstimatesPiFromTwoHundredMeteredActivations() throws Exception {
        // when
        JsonNode run = startAndWait("parallel-pi", "{}");

        // then: the reduce saw every task's hits
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        JsonNode estimate = run.get("output");
        assertThat(estimate.get("pi").asDouble()).isCloseTo(Math.PI, within(0.05));
        assertThat(estimate.get("activations").asInt()).isEqualTo(200);
        assertThat(estimate.get("points").asLong()).isEqualTo(200L * 20_000);
        String id = run.get("id").asText();

        // and every task was a metered python activation (written in batches: may trail the run a little)
        JsonNode cost = await().atMost(Duration.ofSeconds(10)).until(
                () -> server.json(server.get("/runs/" + id)).get("cost"), c -> c != null && c.path("activations").asInt() == 200);
        assertThat(cost.get("gbSeconds").asDouble()).isPositive();
        double price = server.json(server.get("/usage")).get("pricePerGbSecond").asDouble();
        assertThat(cost.get("cost").asDouble()).isPositive().isCloseTo(cost.get("gbSeconds").asDouble() * price, within(1e-12));

        // and the CLI shows it as the README says
        TribProcess.Result shown = trib("runs", "get", id);
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("200 activations", "GB-seconds");
    }

    @Test
    void smallOrderIsChargedOnTheSecondAttemptThenShippedAndNotified() throws Exception {
        // when
        JsonNode run = startAndWait("order-fulfilment", "{\"orderId\": \"it-small\", \"total\": 120, \"email\": \"ann@example.com\"}");

        // then
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("output").asText()).startsWith("rcpt-");
        JsonNode ship = run.get("data").get("ship");
        assertThat(ship.get(0).get("label").asText()).startsWith("TRK-");
        assertThat(ship.get(1).get("notify").asText()).isEqualTo("ann@example.com");

        List<JsonNode> history = history(run.get("id").asText());
        assertThat(history).filteredOn(e -> type(e).equals("StepRetrying"))
                .singleElement().satisfies(e -> {
                    assertThat(e.get("step").asText()).isEqualTo("charge");
                    assertThat(e.get("data").get("error").get("type").asText()).isEqualTo("Unavailable");
                });
        assertThat(history).filteredOn(e -> type(e).equals("StepSucceeded")).extracting(e -> e.get("step").asText())
                .contains("charge", "ship[0]/label", "ship[1]/notify", "ship");
        assertThat(history).filteredOn(e -> type(e).equals("StepStarted")).extracting(e -> e.get("step").asText())
                .doesNotContain("review");
    }

    @Test
    void largeOrderWaitsForReviewAndAnApprovalEventResumesIt() throws Exception {
        // given
        String id = server.json(server.post("/workflows/order-fulfilment/runs",
                "{\"orderId\": \"it-large\", \"total\": 5000, \"email\": \"bo@example.com\"}")).get("id").asText();
        // WAITING alone is not enough: the charge's retry delay is a wait too, and events are not buffered
        await().atMost(Duration.ofSeconds(20)).until(() -> history(id).stream()
                .anyMatch(e -> type(e).equals("EventAwaited") && e.get("step").asText().equals("review")));
        assertThat(status(id)).isEqualTo("WAITING");

        // when: the reviewer's decision, sent the README's way
        TribProcess.Result sent = trib("event", "send", "--type", "review.decided", "--subject", "it-large",
                "--data", "{\"approved\": true}");
        assertThat(sent.exitCode()).as(sent.err()).isZero();

        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("SUCCEEDED"));
        JsonNode run = server.json(server.get("/runs/" + id));
        assertThat(run.get("data").get("decision").get("data").get("approved").asBoolean()).isTrue();
        assertThat(run.get("data").get("ship").get(1).get("notify").asText()).isEqualTo("bo@example.com");
        assertThat(history(id)).extracting(WorkflowSamplesIT::type).contains("EventAwaited", "EventReceived", "RunSucceeded");
    }

    @Test
    void declinedCardIsCaughtAndTheOrderFailsAsPaymentDeclined() throws Exception {
        // when
        JsonNode run = startAndWait("order-fulfilment", "{\"orderId\": \"it-declined\", \"total\": 120, \"card\": \"4000 0000 0000 0002\"}");

        // then
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("FAILED");
        assertThat(run.get("error").get("type").asText()).isEqualTo("PaymentDeclined");
        assertThat(run.get("error").get("message").asText()).isEqualTo("order it-declined declined");
        assertThat(run.get("data").get("failure").get("type").asText()).isEqualTo("CardDeclined");
        List<JsonNode> history = history(run.get("id").asText());
        assertThat(history).extracting(WorkflowSamplesIT::type).doesNotContain("StepRetrying");
        assertThat(history).filteredOn(e -> type(e).equals("StepStarted")).extracting(e -> e.get("step").asText())
                .contains("declined").doesNotContain("ship");
    }

    private static JsonNode startAndWait(String workflow, String input) throws Exception {
        HttpResponse<String> response = server.post("/workflows/" + workflow + "/runs?wait=25s", input);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return server.json(response);
    }

    private static String status(String runId) throws Exception {
        return server.json(server.get("/runs/" + runId)).get("status").asText();
    }

    private static List<JsonNode> history(String runId) throws Exception {
        JsonNode events = server.json(server.get("/runs/" + runId + "/history")).get("events");
        return StreamSupport.stream(events.spliterator(), false).toList();
    }

    private static String type(JsonNode event) {
        return event.get("type").asText();
    }

    private static TribProcess.Result trib(String... args) throws Exception {
        String[] all = Stream.concat(Arrays.stream(args), Stream.of("--server", server.url(), "--api-key", ServerProcess.KEY)).toArray(String[]::new);
        return TribProcess.run(workDir, all);
    }
}
