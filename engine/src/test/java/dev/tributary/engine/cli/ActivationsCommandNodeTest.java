package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.api.NodeServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trib fn invoke}, {@code trib activations}, {@code trib usage} and a run's cost against a real node. */
class ActivationsCommandNodeTest {

    private static final String DEFINITIONS = """
            function: greet
            runtime: python
            source: |
              def main(args):
                  return "hello " + args["name"]
            memory: 1024
            ---
            workflow: hello
            steps:
              - name: first
                call: greet
                with: { name: "${ data.name }" }
                result: first
              - name: second
                call: greet
                with: { name: "again" }
                result: second
            """;

    @TempDir
    Path dir;

    private NodeServer server;

    @BeforeEach
    void start() throws IOException {
        server = NodeServer.start(dir);
        CliRun deployed = trib("deploy", Files.writeString(dir.resolve("hello.yaml"), DEFINITIONS).toString());
        assertThat(deployed.exit()).as(deployed.err()).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void showsTheActivationOfAnInvokeRightAfterIt() {
        // given
        CliRun invoked = trib("fn", "invoke", "greet", "--input", "{\"name\": \"Ada\"}", "-o", "json");
        assertThat(invoked.exit()).as(invoked.err()).isZero();
        String id = parse(invoked.out()).path("activation").path("id").asText();

        // when
        CliRun list = trib("activations", "list", "--function", "greet");
        CliRun get = trib("activations", "get", id);
        CliRun logs = trib("activations", "logs", id);

        // then
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.outLines()).hasSize(2);
        assertThat(list.outLines().get(1)).startsWith(id).contains("greet v1", "success");
        assertThat(get.exit()).as(get.err()).isZero();
        assertThat(get.out()).containsPattern("result +hello Ada").contains("1024 MB").contains("idempotency key  " + id);
        assertThat(logs.exit()).isZero();
        assertThat(logs.out()).isEmpty();
    }

    @Test
    void showsARunsCostAndTheUsage() {
        // given
        CliRun run = trib("run", "hello", "--input", "{\"name\": \"Ada\"}", "--wait", "-o", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        String runId = parse(run.out()).path("id").asText();

        // when: the last activation of the run may be a batch behind its end
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                parse(trib("runs", "get", runId, "-o", "json").out()).path("cost").path("activations").asInt() == 2);
        CliRun get = trib("runs", "get", runId);
        CliRun activations = trib("activations", "list", "--run", runId, "-o", "json");
        CliRun usage = trib("usage");

        // then
        assertThat(get.out()).containsPattern("cost +[0-9.]+ \\(2 activations, [0-9.]+ GB-seconds\\)");
        JsonNode listed = parse(activations.out()).path("activations");
        assertThat(listed).extracting(a -> a.path("step").asText()).containsExactlyInAnyOrder("first", "second");
        assertThat(listed).extracting(a -> a.path("idempotencyKey").asText())
                .containsExactlyInAnyOrder(runId + "/first/1", runId + "/second/1");
        assertThat(usage.exit()).as(usage.err()).isZero();
        assertThat(usage.outLines().get(1)).startsWith("greet").contains("  2  ");
        assertThat(usage.outLines().get(2)).startsWith("total").contains("  2  ");
    }

    private CliRun trib(String... args) {
        return CliRun.against(server, args);
    }

    private static JsonNode parse(String text) {
        try {
            return JsonText.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }
}
