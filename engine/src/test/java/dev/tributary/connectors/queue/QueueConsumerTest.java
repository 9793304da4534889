package dev.tributary.connectors.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.CollectingSink;
import dev.tributary.connectors.TestClock;
import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.engine.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue trigger's consumer over the JDBC queue store on H2, driven poll by poll with a settable clock. */
class QueueConsumerTest {

    @TempDir
    Path dataDir;

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T09:00:00Z"));
    private final CollectingSink sink = new CollectingSink();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private JdbcRunStore store;
    private QueueStore queues;

    @BeforeEach
    void open() {
        store = JdbcRunStore.open(StoreConfig.h2(dataDir), clock);
        queues = store.queues();
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        store.close();
    }

    private QueueConsumer consumer(int batch) {
        return new QueueConsumer("incoming", new TriggerSource.Queue("orders", batch), queues, sink, clock, executor);
    }

    private static JsonNode message(int n) {
        return JsonNodeFactory.instance.objectNode().put("n", n);
    }

    @Test
    void batchOneMakesOneEventPerMessageAndDeletesWhatWasServed() {
        // given
        String first = queues.send("orders", message(1));
        String second = queues.send("orders", message(2));

        // when
        int leased = consumer(1).poll().join();

        // then
        assertThat(leased).isEqualTo(2);
        assertThat(sink.events).hasSize(2);
        ObjectNode event = sink.events.get(0);
        assertThat(event.path("type").asText()).isEqualTo("tributary.queue");
        assertThat(event.path("trigger").asText()).isEqualTo("incoming");
        assertThat(event.path("source").asText()).isEqualTo("/triggers/incoming");
        assertThat(event.path("time").asText()).isEqualTo("2026-03-01T09:00:00Z");
        assertThat(sink.ids()).containsExactly("incoming/" + first + "/1", "incoming/" + second + "/1");
        assertThat(event.path("data")).isEqualTo(JsonNodeFactory.instance.objectNode().put("id", first)
                .<ObjectNode>set("message", message(1)).put("receiveCount", 1));
        assertThat(queues.stats("orders", clock.instant())).isEqualTo(new QueueStats("orders", 0, 0, 0, 0));
    }

    @Test
    void aBatchOverOneMakesOneEventWithTheMessages() {
        // given
        for (int i = 1; i <= 3; i++) {
            queues.send("orders", message(i));
        }

        // when
        consumer(10).poll().join();

        // then
        assertThat(sink.events).singleElement().satisfies(event -> {
            JsonNode messages = event.path("data").path("messages");
            assertThat(messages).hasSize(3);
            assertThat(messages.get(2).path("message")).isEqualTo(message(3));
            assertThat(messages.get(2).path("receiveCount").asInt()).isEqualTo(1);
            assertThat(messages.get(2).path("id").asText()).isNotEmpty();
        });
        assertThat(queues.stats("orders", clock.instant()).depth()).isZero();
    }

    @Test
    void aFailedDeliveryIsRedeliveredAfterItsBackoffAsANewFiring() {
        // given
        String id = queues.send("orders", message(1));
        QueueConsumer consumer = consumer(1);
        sink.failWhen(e -> e.path("data").path("receiveCount").asInt() == 1);

        // when: the first delivery fails
        consumer.poll().join();

        // then: it waits out 1 s before it is visible again
        assertThat(queues.stats("orders", clock.instant())).isEqualTo(new QueueStats("orders", 0, 0, 1, 0));
        assertThat(consumer.poll().join()).isZero();
        clock.tick(Duration.ofSeconds(1));
        assertThat(consumer.poll().join()).isEqualTo(1);
        assertThat(sink.ids()).containsExactly("incoming/" + id + "/1", "incoming/" + id + "/2");
        assertThat(queues.stats("orders", clock.instant())).isEqualTo(new QueueStats("orders", 0, 0, 0, 0));
    }

    @Test
    void theFifthFailedDeliveryMovesTheMessageToTheDeadLetterQueueWhichTheConsumerLeavesAlone() {
        // given
        String id = queues.send("orders", message(1));
        QueueConsumer consumer = consumer(1);
        sink.failWhen(e -> true);

        // when: five deliveries, each after the backoff of the one before (1, 2, 4, 8 s)
        for (int delivery = 1; delivery <= QueueStore.MAX_DELIVERIES; delivery++) {
            assertThat(consumer.poll().join()).isEqualTo(1);
            clock.tick(consumer.backoff(delivery));
        }
        clock.tick(Duration.ofMinutes(5));

        // then
        assertThat(sink.events).hasSize(5);
        assertThat(consumer.poll().join()).isZero();
        assertThat(queues.stats("orders", clock.instant())).isEqualTo(new QueueStats("orders", 0, 0, 0, 1));
        assertThat(queues.receive("orders.dlq", 10, Duration.ofSeconds(30), clock.instant()))
                .singleElement().satisfies(m -> {
                    assertThat(m.id()).isEqualTo(id);
                    assertThat(m.message()).isEqualTo(message(1));
                });
    }

    @Test
    void backsOffOneSecondDoublingAndCappedByTheVisibilityTimeout() {
        QueueConsumer consumer = consumer(1);

        assertThat(consumer.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(consumer.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(consumer.backoff(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(consumer.backoff(7)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aConsumerThatDiesMidDeliveryLeavesTheMessageToBeRedeliveredAfterTheVisibilityTimeout() {
        // given: the first consumer hands the message over and is never answered (its node died)
        String id = queues.send("orders", message(1));
        sink.hold();
        QueueConsumer dead = consumer(1);
        dead.poll();
        dead.close();
        CollectingSink survivor = new CollectingSink();
        QueueConsumer next = new QueueConsumer("incoming", new TriggerSource.Queue("orders", 1), queues, survivor, clock, executor);

        // when / then: hidden while the lease holds, delivered again once it expired
        clock.tick(Duration.ofSeconds(29));
        assertThat(next.poll().join()).isZero();
        clock.tick(Duration.ofSeconds(1));
        assertThat(next.poll().join()).isEqualTo(1);
        assertThat(survivor.ids()).containsExactly("incoming/" + id + "/2");
        assertThat(queues.stats("orders", clock.instant())).isEqualTo(new QueueStats("orders", 0, 0, 0, 0));
    }

    @Test
    void keepsAtMostMaxInFlightDeliveriesOpen() {
        // given
        for (int i = 0; i < 5; i++) {
            queues.send("orders", message(i));
        }
        sink.hold();
        QueueConsumer consumer = new QueueConsumer("incoming", new TriggerSource.Queue("orders", 1), queues, sink, clock, executor,
                new QueueConsumer.Settings(Duration.ofSeconds(30), 3, Duration.ofSeconds(1), Duration.ofSeconds(1)));

        // when
        consumer.poll();
        consumer.poll();

        // then
        assertThat(sink.events).hasSize(3);
        assertThat(consumer.inFlight()).isEqualTo(3);
        assertThat(queues.stats("orders", clock.instant())).isEqualTo(new QueueStats("orders", 2, 3, 0, 0));
    }

    @Test
    void startedItDeliversWhatIsSentAndWakeFetchesAtOnce() {
        // given
        QueueConsumer consumer = consumer(1);
        consumer.start();
        queues.send("orders", message(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.events.size() == 1);

        // when
        queues.send("orders", message(2));
        consumer.wake();

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.events.size() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> queues.stats("orders", clock.instant()).equals(
                new QueueStats("orders", 0, 0, 0, 0)));
        consumer.close();
    }
}
