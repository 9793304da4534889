package dev.tributary.functions.worker;

import static dev.tributary.functions.worker.WorkerFixtures.descendants;
import static dev.tributary.functions.worker.WorkerFixtures.job;
import static dev.tributary.functions.worker.WorkerFixtures.json;
import static dev.tributary.functions.worker.WorkerFixtures.node;
import static dev.tributary.functions.worker.WorkerFixtures.processGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.functions.Execution;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.code.InlineCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node runtime's Java side. Runs against the real bootstrap once it is in the resources, and
 * until then against a small stand-in that speaks the same protocol.
 */
class NodeRuntimeTest {

    static final String BOOTSTRAP = NodeRuntime.class.getResource(NodeRuntime.BOOTSTRAP) != null
            ? NodeRuntime.BOOTSTRAP : "node-fake/bootstrap.js";

    @TempDir
    Path temp;
    private NodeRuntime runtime;

    @BeforeEach
    void start() {
        runtime = new NodeRuntime(WorkerSettings.node(temp.resolve("rt")), new InlineCode(temp.resolve("code"))::locate,
                Clock.systemUTC(), BOOTSTRAP);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private Execution run(FunctionDef function, String input) {
        return runtime.invoke(job(function, input)).join();
    }

    private static JsonNode success(Execution execution) {
        assertThat(execution.result()).as(execution.logs()).isInstanceOf(InvocationResult.Success.class);
        return ((InvocationResult.Success) execution.result()).result();
    }

    @Test
    void runsExportsMainColdThenWarm() {
        // given
        FunctionDef hello = node("hello", """
                exports.main = async (args) => {
                  console.log('greeting', args.name);
                  return { greeting: 'hello ' + args.name };
                };
                """);

        // when
        Execution first = run(hello, "{\"name\": \"ada\"}");
        Execution second = run(hello, "{\"name\": \"bob\"}");

        // then
        assertThat(success(first)).isEqualTo(json("{\"greeting\": \"hello ada\"}"));
        assertThat(first.coldStart()).isTrue();
        assertThat(first.logs()).isEqualTo("greeting ada\n");
        assertThat(second.coldStart()).isFalse();
        assertThat(runtime.workers()).extracting(WorkerInfo::origin).containsExactly(WorkerOrigin.FRESH);
    }

    @Test
    void anErrorsNameIsTheErrorType() {
        // given
        FunctionDef charge = node("charge", """
                class CardDeclined extends Error {}
                exports.main = () => { throw new CardDeclined('card 4242 was declined'); };
                """);

        // when
        Execution execution = run(charge, "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("CardDeclined", "card 4242 was declined"));
    }

    @Test
    void aLaterColdStartLoadsIntoTheSpareWithOnlyItsOwnEnvironment() {
        // given a first cold start, after which a spare is kept
        FunctionDef first = node("first", "exports.main = () => 1;\n");
        success(run(first, "{}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.starter().readySpares() == 1);
        FunctionDef second = node("second", """
                exports.main = () => ({ keys: Object.keys(process.env).sort(), cwd: process.cwd(), home: process.env.HOME });
                """, "env: {TABLE: orders}");

        // when
        Execution execution = runtime.invoke(job(second, "{}", Map.of("TABLE", "orders"))).join();

        // then
        JsonNode result = success(execution);
        assertThat(execution.coldStart()).isTrue();
        assertThat(result.path("keys")).isEqualTo(json("[\"HOME\", \"LANG\", \"PATH\", \"TABLE\"]"));
        assertThat(result.path("cwd").asText()).isEqualTo(result.path("home").asText());
        assertThat(runtime.workers()).extracting(WorkerInfo::origin)
                .containsExactlyInAnyOrder(WorkerOrigin.FRESH, WorkerOrigin.SPARE);
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.starter().readySpares() == 1);
    }

    @Test
    void aTimeoutKillsTheWorkersWholeProcessGroup() throws Exception {
        // given
        Path pids = temp.resolve("pids");
        FunctionDef hang = node("hang", """
                const { spawn } = require('child_process');
                const fs = require('fs');
                exports.main = () => {
                  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
                  fs.writeFileSync(process.env.PIDS, process.pid + ' ' + child.pid);
                  return new Promise(() => {});
                };
                """, "timeout: 2s");

        // when
        Execution execution = runtime.invoke(job(hang, "{}", Map.of("PIDS", pids.toString()))).join();

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("Timeout", "function 'hang' did not finish within PT2S"));
        String[] written = Files.readString(pids).split(" ");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(processGroup(Long.parseLong(written[0]))).isEmpty();
            assertThat(ProcessHandle.of(Long.parseLong(written[1])).filter(p -> !WorkerFixtures.isZombie(p.pid()))).isEmpty();
        });
    }

    @Test
    void aWorkerThatExitsFailsItsActivationAndTheNextOneWorks() {
        // given
        FunctionDef fragile = node("fragile", """
                exports.main = (args) => { if (args.exit) process.exit(3); return 'fine'; };
                """);

        // when
        Execution exited = run(fragile, "{\"exit\": true}");
        Execution next = run(fragile, "{}");

        // then
        assertThat(exited.result()).isEqualTo(new InvocationResult.Failure("FunctionError",
                "the node worker of function 'fragile' exited during the activation (exit code 3)"));
        assertThat(success(next).asText()).isEqualTo("fine");
    }

    @Test
    void workersAndSparesStopAfterKeepWarm() {
        // given
        FunctionDef brief = node("brief", "exports.main = () => 1;\n", "keep-warm: 1s");

        // when
        success(run(brief, "{}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.starter().readySpares() == 1);
        assertThat(descendants()).hasSize(2); // the worker and the spare

        // then
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(descendants()).isEmpty());
        assertThat(runtime.workers()).isEmpty();
    }
}
