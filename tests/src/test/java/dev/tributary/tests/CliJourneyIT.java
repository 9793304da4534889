package dev.tributary.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What issue 3 promises a user, done the user's way: a real server, then the real CLI (a fresh
 * JVM per command) to deploy the SPEC's order workflow, run it and wait, read its history, resume
 * a waiting run with an event, and cancel another.
 */
class CliJourneyIT {

    private static final Path SAMPLE = Path.of("../samples/definitions/order-fulfilment.yaml").toAbsolutePath();

    @TempDir
    Path dataDir;
    @TempDir
    Path workDir;
    private ServerProcess server;

    @BeforeEach
    void start() throws Exception {
        server = new ServerProcess(dataDir).start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private TribProcess.Result trib(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", server.url(), "--api-key", ServerProcess.KEY));
        return TribProcess.run(workDir, all.toArray(String[]::new));
    }

    private JsonNode json(TribProcess.Result r) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return ServerProcess.JSON.readTree(r.out());
    }

    private String status(String runId) throws Exception {
        return json(trib("runs", "get", runId, "-o", "json")).get("status").asText();
    }

    @Test
    void deployRunWaitHistoryEventAndCancelFromTheCommandLine() throws Exception {
        // deploy the SPEC's example workflow with its expr functions
        TribProcess.Result deploy = trib("deploy", SAMPLE.toString());
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        assertThat(deploy.out()).contains("order-fulfilment", "payments.charge");

        // run it and wait: a small order is charged and shipped
        JsonNode done = json(trib("run", "order-fulfilment", "--input",
                "{\"orderId\": \"o-1\", \"total\": 120, \"email\": \"ann@example.com\"}", "--wait", "-o", "json"));
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("output").asText()).startsWith("rcpt-");
        TribProcess.Result human = trib("run", "order-fulfilment", "--input", "{\"orderId\": \"o-9\", \"total\": 1}", "--wait");
        assertThat(human.exitCode()).as(human.err()).isZero();
        assertThat(human.out()).contains("rcpt-");

        // its history, event by event
        TribProcess.Result history = trib("runs", "history", done.get("id").asText());
        assertThat(history.exitCode()).as(history.err()).isZero();
        assertThat(history.out()).contains("RunStarted", "StepSucceeded", "charge", "BranchTaken", "ship[0]/label", "RunSucceeded");

        // a large order waits for review; an event resumes it
        String review = json(trib("run", "order-fulfilment", "--input",
                "{\"orderId\": \"o-2\", \"total\": 5000, \"email\": \"bo@example.com\"}", "-o", "json")).get("id").asText();
        // the sample's charge is retried once, and its retry delay is a wait too: wait for the review itself
        await().atMost(Duration.ofSeconds(30)).until(() -> server.get("/runs/" + review + "/history").body().contains("EventAwaited"));
        assertThat(status(review)).isEqualTo("WAITING");
        TribProcess.Result sent = trib("event", "send", "--type", "review.decided", "--subject", "o-2", "--data", "{\"approved\": true}");
        assertThat(sent.exitCode()).as(sent.err()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> status(review).equals("SUCCEEDED"));
        JsonNode resumed = json(trib("runs", "get", review, "-o", "json"));
        assertThat(resumed.get("data").get("decision").get("data").get("approved").asBoolean()).isTrue();

        // another waits too, and is cancelled
        String cancelled = json(trib("run", "order-fulfilment", "--input",
                "{\"orderId\": \"o-3\", \"total\": 5000}", "-o", "json")).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> status(cancelled).equals("WAITING"));
        TribProcess.Result cancel = trib("runs", "cancel", cancelled);
        assertThat(cancel.exitCode()).as(cancel.err()).isZero();
        assertThat(status(cancelled)).isEqualTo("CANCELLED");
        TribProcess.Result again = trib("runs", "cancel", cancelled);
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).startsWith("trib: ").contains("CANCELLED");

        // listed newest first
        JsonNode list = json(trib("runs", "list", "--workflow", "order-fulfilment", "-o", "json"));
        assertThat(list.get("runs")).extracting(r -> r.get("id").asText()).first().isEqualTo(cancelled);
    }

    @Test
    void commandsFindTheLocalServerThroughItsDataDirectory() throws Exception {
        // the server was given its key with --api-key, so the data directory tells the URL but not the key
        TribProcess.Result noKey = TribProcess.run(workDir, "runs", "list", "--data-dir", dataDir.toString());
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.err()).startsWith("trib: ").contains("--api-key");
        TribProcess.Result list = TribProcess.run(workDir, "runs", "list", "--data-dir", dataDir.toString(),
                "--api-key", ServerProcess.KEY);
        assertThat(list.exitCode()).as(list.err()).isZero();
    }
}
