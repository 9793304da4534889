package dev.tributary.engine.node;

import static dev.tributary.engine.node.NodeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.connectors.queue.QueueStats;
import dev.tributary.connectors.stream.StreamStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the node's API offers of its built-in queues and streams, over its H2 store and across a restart. */
class NodeQueuesAndStreamsTest {

    @TempDir
    Path dataDir;
    private NodeFixture fixture;
    private Node node;

    @BeforeEach
    void start() {
        fixture = new NodeFixture(dataDir);
        node = fixture.start();
    }

    @AfterEach
    void stop() {
        fixture.node.close();
    }

    @Test
    void aSentMessageAndAPutRecordSurviveARestart() {
        // given
        node.sendMessage("orders", json("{\"orderId\": 1}"));
        StreamStore.Appended appended = node.putRecord("clicks", "u-1", json("\"aGk=\""));

        // when
        node = fixture.restart();

        // then
        assertThat(node.queueStats("orders")).isEqualTo(new QueueStats("orders", 1, 0, 0, 0));
        assertThat(node.streamShards("clicks").get(appended.shard()).latestSequence()).isEqualTo(1);
        assertThat(node.queueStats("never-used")).isEqualTo(new QueueStats("never-used", 0, 0, 0, 0));
    }

    @Test
    void refusesBadNamesAsBadRequestsAndOversizedMessagesAsLimitExceeded() {
        String big = "x".repeat(1 << 20);

        assertThatThrownBy(() -> node.sendMessage("Orders", json("1"))).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.code()).isEqualTo(EngineException.Code.BAD_REQUEST));
        assertThatThrownBy(() -> node.sendMessage("orders", JsonNodeFactory.instance.textNode(big)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(EngineException.Code.LIMIT_EXCEEDED));
        assertThatThrownBy(() -> node.putRecord("clicks", "", json("1"))).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.code()).isEqualTo(EngineException.Code.BAD_REQUEST));
        assertThatThrownBy(() -> node.putRecord("clicks", "k", JsonNodeFactory.instance.textNode(big)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(EngineException.Code.LIMIT_EXCEEDED));
    }
}
