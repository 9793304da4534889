package dev.tributary.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §3 against a real server process killed with SIGKILL: accepted means durable, steps
 * advance exactly once, timers are never lost.
 */
class CrashGuaranteeIT {

    private static final String DEFINITIONS = """
            function: add-one
            runtime: expr
            expr: "${ input.n + 1 }"
            ---
            workflow: nap
            steps:
              - { name: before, call: add-one, with: { n: "${ data.n }" } }
              - { name: sleep, wait: 3s }
              - { name: after, call: add-one, with: { n: "${ data.before }" } }
            ---
            workflow: busy
            steps:
              - { name: s1, call: add-one, with: { n: "${ data.n }" } }
              - { name: s2, call: add-one, with: { n: "${ data.s1 }" } }
              - { name: s3, call: add-one, with: { n: "${ data.s2 }" } }
              - { name: s4, call: add-one, with: { n: "${ data.s3 }" } }
              - { name: s5, call: add-one, with: { n: "${ data.s4 }" } }
            ---
            workflow: approval
            steps:
              - { name: decide, wait: { event: approval.decided, key: "${ data.id }", result: decision } }
              - { name: done, set: { approved: "${ data.decision.data.ok }" } }
            """;

    @TempDir
    Path dataDir;
    private ServerProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private ServerProcess deployed() throws Exception {
        server = new ServerProcess(dataDir).start();
        HttpResponse<String> deploy = server.post("/deploy", DEFINITIONS, Map.of("Content-Type", "application/yaml"));
        assertThat(deploy.statusCode()).as(deploy.body()).isEqualTo(200);
        return server;
    }

    private String startRun(String workflow, String input) throws Exception {
        HttpResponse<String> r = server.post("/workflows/" + workflow + "/runs", input);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return server.json(r).get("id").asText();
    }

    private String status(String runId) throws Exception {
        HttpResponse<String> r = server.get("/runs/" + runId);
        return r.statusCode() == 200 ? server.json(r).get("status").asText() : "HTTP " + r.statusCode();
    }

    /** No step path may show StepSucceeded twice in one run's history. */
    private void assertEachStepSucceededOnce(String runId, int expectedSteps) throws Exception {
        JsonNode events = server.json(server.get("/runs/" + runId + "/history")).get("events");
        Map<String, Integer> succeeded = new HashMap<>();
        long lastSeq = 0;
        for (JsonNode e : events) {
            assertThat(e.get("seq").asLong()).as("history of %s is numbered without gaps", runId).isEqualTo(lastSeq + 1);
            lastSeq = e.get("seq").asLong();
            if (e.get("type").asText().equals("StepSucceeded")) {
                succeeded.merge(e.get("step").asText(), 1, Integer::sum);
            }
        }
        assertThat(succeeded).as("steps of run %s", runId).hasSize(expectedSteps).allSatisfy((step, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void runsWaitingOnATimerWhenTheServerIsKilledAllFinishOnceAfterRestart() throws Exception {
        // given: 50 runs asleep between two steps
        deployed();
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            runs.add(startRun("nap", "{\"n\": " + i + "}"));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String run : runs) {
                assertThat(status(run)).isEqualTo("WAITING");
            }
        });
        // when
        server.restart();
        // then
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String run : runs) {
                assertThat(status(run)).as(run).isEqualTo("SUCCEEDED");
            }
        });
        for (int i = 0; i < runs.size(); i++) {
            JsonNode run = server.json(server.get("/runs/" + runs.get(i)));
            assertThat(run.get("data").get("after").asInt()).isEqualTo(i + 2);
            assertEachStepSucceededOnce(runs.get(i), 3);
        }
        assertThat(server.json(server.get("/runs?workflow=nap&limit=100")).get("runs")).hasSize(50);
    }

    @Test
    void killedWhileRunsAreMidFlightEveryRunFinishesWithEachStepOnce() throws Exception {
        // given: 300 starts of a five-call workflow in flight at once
        deployed();
        List<CompletableFuture<HttpResponse<String>>> starts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            starts.add(server.postAsync("/workflows/busy/runs", "{\"n\": 0}"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> starts.stream().filter(CompletableFuture::isDone).count() >= 100);
        // when: killed with runs at every stage (and requests still arriving)
        server.restart();
        // then: every run the server accepted, and every run it stored, finishes with each step once
        List<String> accepted = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : starts) {
            if (f.isDone() && !f.isCompletedExceptionally() && f.join().statusCode() == 202) {
                accepted.add(server.json(f.join()).get("id").asText());
            }
        }
        assertThat(accepted).as(() -> "answers: " + starts.stream().map(f -> !f.isDone() ? "pending"
                : f.isCompletedExceptionally() ? "failed " + f.handle((r, e) -> String.valueOf(e)).join() : f.join().statusCode() + " " + f.join().body()).distinct().limit(5).toList())
                .hasSizeGreaterThanOrEqualTo(100);
        List<String> stored = new ArrayList<>();
        server.json(server.get("/runs?workflow=busy&limit=1000")).get("runs").forEach(r -> stored.add(r.get("id").asText()));
        assertThat(stored).containsAll(accepted);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String run : stored) {
                assertThat(status(run)).as(run).isEqualTo("SUCCEEDED");
            }
        });
        for (String run : stored) {
            assertThat(server.json(server.get("/runs/" + run)).get("data").get("s5").asInt()).isEqualTo(5);
            assertEachStepSucceededOnce(run, 5);
        }
    }

    @Test
    void aRunStartAnsweredWith202SurvivesAKillRightAfter() throws Exception {
        deployed();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 3; round++) {
                // given: 16 starts in flight at once
                List<CompletableFuture<String>> starts = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    starts.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return startRun("approval", "{\"id\": \"x\"}");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, pool));
                }
                List<String> accepted = starts.stream().map(CompletableFuture::join).toList();
                // when: killed the moment the last 202 arrived
                server.restart();
                // then
                for (String run : accepted) {
                    assertThat(status(run)).as("run %s accepted before the kill", run).isIn("WAITING", "RUNNING");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anEventAnsweredWith202SurvivesAKillRightAfterAndResumesItsRun() throws Exception {
        // given
        deployed();
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            runs.add(startRun("approval", "{\"id\": \"order-" + i + "\"}"));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String run : runs) {
                assertThat(status(run)).isEqualTo("WAITING");
            }
        });
        // when: each event is acknowledged, then the server dies at once
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = server.post("/events", """
                    {"specversion": "1.0", "id": "evt-%d", "source": "test", "type": "approval.decided",
                     "subject": "order-%d", "data": {"ok": true}}""".formatted(i, i));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            if (i % 3 == 0) {
                server.restart();
            }
        }
        server.restart();
        // then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String run : runs) {
                assertThat(status(run)).as(run).isEqualTo("SUCCEEDED");
            }
        });
        for (String run : runs) {
            assertThat(server.json(server.get("/runs/" + run)).get("data").get("approved").asBoolean()).isTrue();
            assertEachStepSucceededOnce(run, 2);
        }
    }
}
