package dev.tributary.engine.node;

import static dev.tributary.engine.node.NodeFixture.get;
import static dev.tributary.engine.node.NodeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.store.ActivationQuery;
import dev.tributary.functions.Activation;
import dev.tributary.functions.InvocationResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §2.2: a secret's value is never written to history, activation logs or errors. A real node
 * with its real python runtime, the secret stored through the engine.
 */
class NodeSecretMaskingTest {

    private static final String TOKEN = "tok-6f1d2c9a-live";

    private static final String DEFINITIONS = """
            function: leaky
            runtime: python
            source: |
              import os
              def main(args):
                  print("calling with " + os.environ["TOKEN"])
                  raise ValueError("the server refused " + os.environ["TOKEN"])
            env: { TOKEN: "${ secret('tok') }", REGION: eu }
            ---
            function: measure
            runtime: python
            source: |
              def main(args):
                  return {"length": len(args["token"])}
            ---
            workflow: leak
            steps:
              - name: call
                call: leaky
                retry: none
            ---
            workflow: pass-along
            steps:
              - name: use
                call: measure
                with: { token: "${ secret('tok') }" }
                result: measured
            ---
            workflow: fail-loudly
            steps:
              - name: stop
                fail: { error: Refused, message: "token ${ secret('tok') } was refused" }
            """;

    @TempDir
    Path dataDir;
    private Node node;

    @BeforeEach
    void start() {
        node = Node.start(NodeConfig.defaults(dataDir).withManualTimers().withShards(1));
        node.putSecret("tok", TOKEN);
        node.deploy(TestWorkflows.files(DEFINITIONS));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aSecretInAFunctionsEnvIsMaskedInItsLogsErrorAndTheRunsHistory() {
        // when
        RunView run = endOf("leak");

        // then the code had the value, and nothing recorded shows it
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error().path("message").asText()).contains("the server refused ***").doesNotContain(TOKEN);
        assertThat(node.history(run.id()).toString()).contains("the server refused ***").doesNotContain(TOKEN);
        Activation activation = activationOf(run.id());
        assertThat(activation.logs()).contains("calling with ***").doesNotContain(TOKEN);
        assertThat(activation.result()).isInstanceOfSatisfying(InvocationResult.Failure.class, f -> {
            assertThat(f.type()).isEqualTo("ValueError");
            assertThat(f.message()).isEqualTo("the server refused ***");
        });
    }

    @Test
    void aSecretPassedInWithReachesTheFunctionButNotTheHistory() {
        // when
        RunView run = endOf("pass-along");

        // then
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.data().path("measured").path("length").asInt()).isEqualTo(TOKEN.length());
        assertThat(node.history(run.id()).toString()).doesNotContain(TOKEN);
        assertThat(run.toString()).doesNotContain(TOKEN);
    }

    @Test
    void aFailMessageBuiltFromASecretIsMasked() {
        // when
        RunView run = endOf("fail-loudly");

        // then
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error().path("message").asText()).isEqualTo("token *** was refused");
        assertThat(node.history(run.id()).toString()).doesNotContain(TOKEN);
    }

    private RunView endOf(String workflow) {
        RunView started = get(node.startRun(workflow, json("{}"), null));
        return get(node.awaitEnd(started.id(), Duration.ofSeconds(20)));
    }

    private Activation activationOf(String runId) {
        List<Activation> activations = await().atMost(Duration.ofSeconds(10)).until(
                () -> node.activations(new ActivationQuery(null, runId, null, 10, null)).activations(), list -> !list.isEmpty());
        return activations.get(0);
    }
}
