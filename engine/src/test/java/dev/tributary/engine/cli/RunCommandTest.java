package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.api.FakeEngine;
import dev.tributary.engine.api.TestApi;
import dev.tributary.engine.core.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    private final FakeEngine engine = new FakeEngine().withWorkflow("hello");
    private final TestApi api = new TestApi(engine);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void startsARunWithItsInputAndKey() {
        // when
        CliRun run = CliRun.against(api, "run", "hello", "--input", "{\"name\":\"Ada\"}", "--idempotency-key", "k-1");

        // then
        assertThat(run.exit()).isZero();
        assertThat(run.out().trim()).isEqualTo("Started run r-1 of hello v2 (RUNNING)");
        assertThat(engine.startInputs.get(0).toString()).isEqualTo("{\"name\":\"Ada\"}");
        assertThat(engine.startKeys).containsExactly("k-1");
    }

    @Test
    void readsTheInputFromAFileAndDefaultsToAnEmptyObject(@TempDir Path dir) throws IOException {
        Path input = Files.writeString(dir.resolve("in.json"), "{\"from\": \"file\"}");

        assertThat(CliRun.against(api, "run", "hello", "--input", "@" + input).exit()).isZero();
        assertThat(CliRun.against(api, "run", "hello").exit()).isZero();

        assertThat(engine.startInputs.get(0).toString()).isEqualTo("{\"from\":\"file\"}");
        assertThat(engine.startInputs.get(1).toString()).isEqualTo("{}");
    }

    @Test
    void refusesInputThatIsNotJsonBeforeCallingTheServer() {
        CliRun run = CliRun.against(api, "run", "hello", "--input", "{name: 1}");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().trim()).startsWith("trib: --input is not valid JSON at line 1, column 2");
        assertThat(engine.startInputs).isEmpty();
    }

    @Test
    void waitsAndPrintsTheOutput() {
        // given
        engine.finishRunsWith(RunStatus.SUCCEEDED);

        // when
        CliRun run = CliRun.against(api, "run", "hello", "--input", "{\"x\":1}", "--wait");

        // then
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("\"echo\"").contains("\"x\" : 1");
        assertThat(engine.awaited).containsExactly(Duration.ofMinutes(5));
    }

    @Test
    void pollsARunThatOutlastsTheServersWait() {
        // given: the server's wait runs out, then the run ends
        engine.finishRunsWhenRead();

        // when
        CliRun run = CliRun.against(api, "run", "hello", "--wait", "--poll-interval", "10ms", "-o", "json");

        // then
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("\"status\":\"SUCCEEDED\"");
    }

    @Test
    void exits1WhenTheRunDidNotSucceed() {
        // given
        engine.finishRunsWith(RunStatus.FAILED);

        // when
        CliRun run = CliRun.against(api, "run", "hello", "--wait");

        // then
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().trim()).isEqualTo("trib: run r-1 FAILED: Boom: it broke");
    }

    @Test
    void namesAnUnknownWorkflow() {
        CliRun run = CliRun.against(api, "run", "nope");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().trim()).isEqualTo("trib: Expected to start workflow 'nope', but there is no such workflow");
    }
}
