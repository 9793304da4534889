package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.api.FakeEngine;
import dev.tributary.engine.api.TestApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventCommandTest {

    private final FakeEngine engine = new FakeEngine();
    private final TestApi api = new TestApi(engine);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void sendsAStructuredCloudEvent() {
        // when
        CliRun run = CliRun.against(api, "event", "send", "--type", "review.decided", "--subject", "order-7", "--id", "e-1",
                "--data", "{\"approved\": true}");

        // then
        assertThat(run.exit()).isZero();
        assertThat(run.out().trim()).isEqualTo("Published event e-1");
        JsonNode event = engine.published.get(0);
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("id").asText()).isEqualTo("e-1");
        assertThat(event.get("source").asText()).isEqualTo("trib-cli");
        assertThat(event.get("type").asText()).isEqualTo("review.decided");
        assertThat(event.get("subject").asText()).isEqualTo("order-7");
        assertThat(event.get("data").toString()).isEqualTo("{\"approved\":true}");
    }

    @Test
    void givesEachEventAFreshIdAndReadsDataFromAFile(@TempDir Path dir) throws IOException {
        Path data = Files.writeString(dir.resolve("data.json"), "[1, 2]");

        CliRun first = CliRun.against(api, "event", "send", "--type", "t", "--data", "@" + data, "--source", "/me");
        CliRun second = CliRun.against(api, "event", "send", "--type", "t", "-o", "json");

        assertThat(first.exit()).isZero();
        assertThat(second.exit()).isZero();
        assertThat(engine.published.get(0).get("id")).isNotEqualTo(engine.published.get(1).get("id"));
        assertThat(engine.published.get(0).get("data").toString()).isEqualTo("[1,2]");
        assertThat(engine.published.get(0).get("source").asText()).isEqualTo("/me");
        assertThat(engine.published.get(1).has("data")).isFalse();
        assertThat(second.out()).startsWith("{\"id\":");
    }

    @Test
    void saysWhenAnIdWasAcceptedBefore() {
        CliRun.against(api, "event", "send", "--type", "t", "--id", "same");
        CliRun again = CliRun.against(api, "event", "send", "--type", "t", "--id", "same");

        assertThat(again.out().trim()).isEqualTo("Event same was accepted before; not published again");
    }

    @Test
    void needsAType() {
        CliRun run = CliRun.against(api, "event", "send", "--data", "{}");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--type");
        assertThat(engine.published).isEmpty();
    }
}
