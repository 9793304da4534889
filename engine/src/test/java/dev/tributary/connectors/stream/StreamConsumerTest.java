package dev.tributary.connectors.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.CollectingSink;
import dev.tributary.connectors.TestClock;
import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.dsl.model.TriggerSource.StartPosition;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.engine.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream trigger's consumer over the JDBC stream store on H2, driven shard step by shard step. */
class StreamConsumerTest {

    @TempDir
    Path dataDir;

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T09:00:00Z"));
    private final CollectingSink sink = new CollectingSink();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private JdbcRunStore store;
    private StreamStore streams;

    @BeforeEach
    void open() {
        store = JdbcRunStore.open(StoreConfig.h2(dataDir), clock);
        streams = store.streams();
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        store.close();
    }

    private StreamConsumer consumer(String rule, int batch, StartPosition start, CollectingSink to) {
        return new StreamConsumer("clicks", rule, new TriggerSource.Stream("clickstream", batch, start), streams, to, clock, executor);
    }

    private static JsonNode data(String key, int n) {
        return JsonNodeFactory.instance.objectNode().put("key", key).put("n", n);
    }

    /** Steps every shard until none has anything to hand over. */
    private static void drain(StreamConsumer consumer) {
        boolean any;
        do {
            any = false;
            for (int shard = 0; shard < StreamStore.SHARDS; shard++) {
                any |= consumer.poll(shard).join();
            }
        } while (any);
    }

    private List<JsonNode> records() {
        List<JsonNode> records = new ArrayList<>();
        sink.events.forEach(e -> e.path("data").path("records").forEach(records::add));
        return records;
    }

    @Test
    void handsOverBatchesPerShardKeepingTheOrderOfEachKey() {
        // given: ten keys (over all four shards), five records each, interleaved
        for (int n = 0; n < 5; n++) {
            for (int k = 0; k < 10; k++) {
                streams.put("clickstream", "key-" + k, data("key-" + k, n));
            }
        }

        // when
        drain(consumer("archive", 3, StartPosition.OLDEST, sink));

        // then: every record once; per key in the order put; batches of at most 3 from one shard
        assertThat(records()).hasSize(50);
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        records().forEach(r -> byKey.computeIfAbsent(r.path("partitionKey").asText(), k -> new ArrayList<>())
                .add(r.path("data").path("n").asInt()));
        assertThat(byKey).hasSize(10).allSatisfy((key, ns) -> assertThat(ns).containsExactly(0, 1, 2, 3, 4));
        assertThat(sink.events).allSatisfy(event -> {
            JsonNode batch = event.path("data").path("records");
            assertThat(batch.size()).isBetween(1, 3);
            assertThat(batch.findValuesAsText("shard")).containsOnly(batch.get(0).path("shard").asText());
            assertThat(event.path("type").asText()).isEqualTo("tributary.stream");
            assertThat(event.path("trigger").asText()).isEqualTo("clicks");
            assertThat(event.path("rule").asText()).isEqualTo("archive");
        });
        JsonNode first = records().get(0);
        assertThat(first.path("sequence").asLong()).isEqualTo(1);
        assertThat(first.path("shard").asInt()).isEqualTo(StreamStore.shardOf(first.path("partitionKey").asText()));
        assertThat(sink.ids().get(0)).isEqualTo("clicks/archive/" + first.path("shard").asInt() + "/1-3/1");
        for (int shard = 0; shard < StreamStore.SHARDS; shard++) {
            assertThat(streams.checkpoint("archive", "clickstream", shard)).hasValueSatisfying(c -> {
                assertThat(c.sequence()).isEqualTo(streams.latest("clickstream", c.shard()));
                assertThat(c.pending()).isNull();
            });
        }
    }

    @Test
    void aNewConsumerOfTheSameRuleContinuesAfterTheCheckpointAndAnotherRuleReadsOnItsOwn() {
        // given
        IntStream.range(0, 4).forEach(n -> streams.put("clickstream", "k", data("k", n)));
        drain(consumer("archive", 10, StartPosition.OLDEST, sink));
        IntStream.range(4, 6).forEach(n -> streams.put("clickstream", "k", data("k", n)));

        // when
        CollectingSink after = new CollectingSink();
        drain(consumer("archive", 10, StartPosition.OLDEST, after));
        CollectingSink other = new CollectingSink();
        drain(consumer("count", 10, StartPosition.OLDEST, other));

        // then
        assertThat(after.events).singleElement().satisfies(e -> assertThat(e.path("data").path("records").findValuesAsText("n"))
                .containsExactly("4", "5"));
        assertThat(other.events).singleElement().satisfies(e -> assertThat(e.path("data").path("records")).hasSize(6));
    }

    @Test
    void aBatchHandedOverBeforeACrashIsHandedOverAgainWithTheSameId() {
        // given: a consumer hands a batch over and its node dies before the delivery is answered
        IntStream.range(0, 3).forEach(n -> streams.put("clickstream", "k", data("k", n)));
        int shard = StreamStore.shardOf("k");
        sink.hold();
        StreamConsumer dead = consumer("archive", 10, StartPosition.OLDEST, sink);
        dead.poll(shard);
        dead.close();
        IntStream.range(3, 5).forEach(n -> streams.put("clickstream", "k", data("k", n)));

        // when: the next consumer of the rule starts (the inbox dedupes the id if the first handover was accepted)
        CollectingSink restarted = new CollectingSink();
        StreamConsumer next = consumer("archive", 10, StartPosition.OLDEST, restarted);
        next.poll(shard).join();

        // then: the same records 1..3 under the same id, not a batch grown by what came since
        assertThat(restarted.ids()).containsExactly(sink.ids().get(0));
        assertThat(restarted.events.get(0).path("data")).isEqualTo(sink.events.get(0).path("data"));
        drain(next);
        assertThat(restarted.events).extracting(e -> e.path("data").path("records").findValuesAsText("n"))
                .containsExactly(List.of("0", "1", "2"), List.of("3", "4"));
        assertThat(restarted.ids().get(0)).isEqualTo("clicks/archive/" + shard + "/1-3/1");
    }

    @Test
    void aFailedBatchIsRetriedAsNewAttemptsThenSkippedAfterTheFifth() {
        // given: records 1..2 always fail, the rest succeed
        IntStream.range(0, 3).forEach(n -> streams.put("clickstream", "k", data("k", n)));
        int shard = StreamStore.shardOf("k");
        sink.failWhen(e -> e.path("data").path("records").get(0).path("sequence").asLong() == 1);
        StreamConsumer consumer = consumer("archive", 2, StartPosition.OLDEST, sink);

        // when
        for (int attempt = 1; attempt <= StreamConsumer.MAX_ATTEMPTS; attempt++) {
            assertThat(consumer.poll(shard).join()).isTrue();
            assertThat(streams.checkpoint("archive", "clickstream", shard).orElseThrow().sequence())
                    .isEqualTo(attempt < StreamConsumer.MAX_ATTEMPTS ? 0 : 2); // skipped after the fifth
        }
        drain(consumer);

        // then: five attempts, each its own firing, then the next batch
        assertThat(sink.ids()).containsExactly(
                "clicks/archive/" + shard + "/1-2/1", "clicks/archive/" + shard + "/1-2/2", "clicks/archive/" + shard + "/1-2/3",
                "clicks/archive/" + shard + "/1-2/4", "clicks/archive/" + shard + "/1-2/5", "clicks/archive/" + shard + "/3-3/1");
        assertThat(streams.checkpoint("archive", "clickstream", shard).orElseThrow().sequence()).isEqualTo(3);
    }

    @Test
    void startLatestSkipsWhatWasPutBeforeTheRulesFirstReadAndOldestReadsEverything() {
        // given
        streams.put("clickstream", "k", data("k", 0));
        int shard = StreamStore.shardOf("k");
        StreamConsumer latest = consumer("tail", 10, StartPosition.LATEST, sink);
        assertThat(latest.poll(shard).join()).isFalse(); // the first read fixes the position

        // when
        streams.put("clickstream", "k", data("k", 1));
        drain(latest);
        CollectingSink all = new CollectingSink();
        drain(consumer("replay", 10, StartPosition.OLDEST, all));

        // then
        assertThat(records()).extracting(r -> r.path("data").path("n").asInt()).containsExactly(1);
        assertThat(all.events).singleElement().satisfies(e -> assertThat(e.path("data").path("records")).hasSize(2));
    }

    @Test
    void startedItReadsEveryShardAsRecordsArrive() {
        // given
        StreamConsumer consumer = consumer("archive", 100, StartPosition.LATEST, sink);
        consumer.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> IntStream.range(0, StreamStore.SHARDS)
                .allMatch(s -> streams.checkpoint("archive", "clickstream", s).isPresent()));

        // when
        IntStream.range(0, 20).forEach(n -> streams.put("clickstream", "key-" + n, data("key-" + n, n)));
        consumer.wake();

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> records().size() == 20);
        consumer.close();
        ObjectNode any = (ObjectNode) records().get(0);
        assertThat(any.path("data").path("key").asText()).isEqualTo(any.path("partitionKey").asText());
    }
}
