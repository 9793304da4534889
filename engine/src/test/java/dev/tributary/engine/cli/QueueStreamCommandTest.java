package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.connectors.stream.StreamStore;
import dev.tributary.engine.api.FakeEngine;
import dev.tributary.engine.api.TestApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code trib queue send|stats} and {@code trib stream put|info}. */
class QueueStreamCommandTest {

    private final FakeEngine engine = new FakeEngine();
    private final TestApi api = new TestApi(engine);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void sendsAMessageAndShowsTheQueuesCounts() {
        CliRun send = CliRun.against(api, "queue", "send", "orders", "--message", "{\"orderId\": 7}");
        CliRun stats = CliRun.against(api, "queue", "stats", "orders");
        CliRun json = CliRun.against(api, "queue", "stats", "orders", "-o", "json");

        assertThat(send.exit()).isZero();
        assertThat(send.out().trim()).matches("Sent message m-\\d+ to queue orders");
        assertThat(engine.sentMessages.get("orders")).containsExactly(JsonNodeFactory.instance.objectNode().put("orderId", 7));
        assertThat(stats.exit()).isZero();
        assertThat(stats.outLines().get(0)).startsWith("QUEUE").contains("DEPTH", "IN-FLIGHT", "DELAYED", "DEAD-LETTERED");
        assertThat(stats.outLines().get(1).split("\\s+")).containsExactly("orders", "1", "0", "0", "0");
        assertThat(json.out()).contains("\"depth\":1");
    }

    @Test
    void refusesAMessageThatIsNotJsonBeforeSendingIt() {
        CliRun run = CliRun.against(api, "queue", "send", "orders", "--message", "{oops");

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("--message is not valid JSON");
        assertThat(engine.sentMessages).isEmpty();
    }

    @Test
    void putsARecordAndShowsTheShards() {
        int shard = StreamStore.shardOf("user-1");

        CliRun put = CliRun.against(api, "stream", "put", "clicks", "--partition-key", "user-1", "--data", "\"aGk=\"");
        CliRun info = CliRun.against(api, "stream", "info", "clicks");

        assertThat(put.exit()).isZero();
        assertThat(put.out().trim()).isEqualTo("Put record 1 on shard " + shard + " of stream clicks");
        assertThat(engine.putRecords.get("clicks")).containsExactly(JsonNodeFactory.instance.textNode("aGk="));
        assertThat(info.exit()).isZero();
        assertThat(info.outLines()).hasSize(1 + StreamStore.SHARDS);
        assertThat(info.outLines().get(1 + shard).split("\\s+")).containsExactly(String.valueOf(shard), "1");
    }

    @Test
    void namesABadStreamName() {
        CliRun run = CliRun.against(api, "stream", "put", "Bad!", "--partition-key", "k", "--data", "1");

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("Expected a stream name");
    }
}
