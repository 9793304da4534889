package dev.tributary.engine.core;

import static dev.tributary.engine.core.ManualDriver.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Histories recorded by an earlier version of the interpreter must replay to the state recorded
 * with them: a change that fails this would break runs in flight (their stored state and history
 * no longer agree with what the new code does). Regenerate deliberately, with a migration story,
 * by running with {@code -Dgolden.write=true}.
 */
class GoldenHistoryTest {

    private static final Path DIR = Path.of("src/test/resources/golden");
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private static final String ORDER = """
            workflow: order
            steps:
              - name: charge
                call: charge
                with: { amount: "${ data.total }" }
                retry: { max-attempts: 3, delay: 1s, jitter: true }
              - name: route
                switch:
                  - { when: "${ data.total > 100 }", next: review }
                  - { default: ship }
              - name: review
                wait: { event: review.decided, key: "${ data.orderId }", timeout: 1d, result: decision }
              - name: ship
                parallel:
                  branches:
                    - steps: [ { name: label, call: label } ]
                    - steps:
                        - name: notify
                          foreach: ${ data.emails }
                          concurrency: 1
                          steps: [ { name: send, call: send, with: { to: "${ item }" } } ]
              - { name: tell, emit: { type: order.shipped, subject: "${ data.orderId }", data: { id: "${ uuid() }" } } }
              - { name: done, set: { shippedAt: "${ now() }" } }
            """;

    private ManualDriver orderRun() {
        int[] charges = {0};
        ManualDriver d = new ManualDriver(ORDER)
                .function("charge", in -> {
                    if (++charges[0] == 1) {
                        throw new ManualDriver.FunctionFailure("Unavailable", "bank busy");
                    }
                    return json("{\"receipt\": \"R-" + in.get("amount").asInt() + "\"}");
                })
                .function("label", in -> json("\"L-1\""))
                .function("send", in -> json("{\"sent\": true}"));
        d.start("order", "{\"orderId\": \"o-7\", \"total\": 250, \"emails\": [\"a@x\", \"b@x\"]}");
        d.tick(Duration.ofSeconds(1));
        d.tick(Duration.ofMinutes(5));
        d.publish("review.decided", "o-7", "{\"approved\": true}");
        return d;
    }

    @Test
    void recordedHistoriesReplayToTheirRecordedState() throws IOException {
        if (Boolean.getBoolean("golden.write")) {
            ManualDriver d = orderRun();
            MAPPER.writeValue(DIR.resolve("order.history.json").toFile(), d.history("r1"));
            Files.writeString(DIR.resolve("order.state.json"), MAPPER.writeValueAsString(json(RunStateCodec.write(d.run("r1")))));
        }
        // given
        List<HistoryEvent> history = List.of(MAPPER.readValue(DIR.resolve("order.history.json").toFile(), HistoryEvent[].class));
        JsonNode recorded = MAPPER.readTree(DIR.resolve("order.state.json").toFile());
        ManualDriver d = new ManualDriver(ORDER);
        // when
        RunState replayed = new Replay(d.interpreter).rebuild(d.plan("order"), history);
        // then
        assertThat(json(RunStateCodec.write(replayed))).isEqualTo(recorded);
        assertThat(replayed.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void theScenarioStillRecordsTheSameHistory() throws IOException {
        List<HistoryEvent> recorded = List.of(MAPPER.readValue(DIR.resolve("order.history.json").toFile(), HistoryEvent[].class));
        // compared as text: numbers read back from a file are not of the node types they were made with
        assertThat(MAPPER.writeValueAsString(orderRun().history("r1"))).isEqualTo(MAPPER.writeValueAsString(recorded));
    }
}
