package dev.tributary.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.connectors.PayloadTooLargeException;
import dev.tributary.connectors.queue.QueueMessage;
import dev.tributary.connectors.queue.QueueStats;
import dev.tributary.connectors.queue.QueueStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link QueueStore} must do. A backend's test extends this and says how to open a
 * store (a {@link RunStore} whose {@code queues()} is tested) and how to open the same data again.
 */
abstract class QueueStoreContract {

    static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    static final Duration VISIBILITY = Duration.ofSeconds(30);

    protected RunStore store;

    protected abstract RunStore openStore();

    protected abstract RunStore reopenStore();

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private QueueStore queues() {
        return store.queues();
    }

    static JsonNode message(int n) {
        return JsonNodeFactory.instance.objectNode().put("n", n);
    }

    @Test
    void aSentMessageIsDurableAndReceivedOldestFirst() {
        // given
        String first = queues().send("orders", message(1));
        String second = queues().send("orders", message(2));
        queues().send("other", message(3));

        // when
        store.close();
        store = reopenStore();
        List<QueueMessage> received = queues().receive("orders", 10, VISIBILITY, T0);

        // then
        assertThat(received).extracting(QueueMessage::id).containsExactly(first, second);
        assertThat(received).extracting(m -> m.message().path("n").asInt()).containsExactly(1, 2);
        assertThat(received).allSatisfy(m -> {
            assertThat(m.receiveCount()).isEqualTo(1);
            assertThat(m.lease().visibleAt()).isEqualTo(T0.plus(VISIBILITY));
        });
    }

    @Test
    void aLeasedMessageIsHiddenUntilItsLeaseExpiresThenRedeliveredUnderANewLease() {
        // given
        String id = queues().send("orders", message(1));
        QueueMessage first = queues().receive("orders", 1, VISIBILITY, T0).get(0);

        // when / then: hidden while the lease holds
        assertThat(queues().receive("orders", 1, VISIBILITY, T0.plusSeconds(29))).isEmpty();
        assertThat(queues().stats("orders", T0.plusSeconds(29))).isEqualTo(new QueueStats("orders", 0, 1, 0, 0));

        // when: the lease expired
        QueueMessage second = queues().receive("orders", 1, VISIBILITY, T0.plusSeconds(30)).get(0);

        // then: the same message, received a second time; only the newer lease acknowledges
        assertThat(second.id()).isEqualTo(id);
        assertThat(second.receiveCount()).isEqualTo(2);
        assertThat(queues().delete(first.lease())).isFalse();
        assertThat(queues().release(first.lease(), Duration.ZERO, T0.plusSeconds(31))).isFalse();
        assertThat(queues().deadLetter(first.lease(), T0.plusSeconds(31))).isFalse();
        assertThat(queues().delete(second.lease())).isTrue();
        assertThat(queues().receive("orders", 1, VISIBILITY, T0.plusSeconds(100))).isEmpty();
        assertThat(queues().stats("orders", T0.plusSeconds(100))).isEqualTo(new QueueStats("orders", 0, 0, 0, 0));
    }

    @Test
    void anExtendedLeaseKeepsTheMessageHiddenLonger() {
        // given
        queues().send("orders", message(1));
        QueueMessage received = queues().receive("orders", 1, VISIBILITY, T0).get(0);

        // when
        assertThat(queues().extend(received.lease(), VISIBILITY, T0.plusSeconds(20))).isTrue();

        // then
        assertThat(queues().receive("orders", 1, VISIBILITY, T0.plusSeconds(49))).isEmpty();
        assertThat(queues().receive("orders", 1, VISIBILITY, T0.plusSeconds(50))).hasSize(1);
        assertThat(queues().extend(received.lease(), VISIBILITY, T0.plusSeconds(51))).isFalse();
    }

    @Test
    void aReleasedMessageComesBackAfterItsDelay() {
        // given
        queues().send("orders", message(1));
        QueueMessage first = queues().receive("orders", 1, VISIBILITY, T0).get(0);

        // when
        assertThat(queues().release(first.lease(), Duration.ofSeconds(2), T0.plusSeconds(1))).isTrue();

        // then
        assertThat(queues().stats("orders", T0.plusSeconds(2))).isEqualTo(new QueueStats("orders", 0, 0, 1, 0));
        assertThat(queues().receive("orders", 1, VISIBILITY, T0.plusSeconds(2))).isEmpty();
        QueueMessage again = queues().receive("orders", 1, VISIBILITY, T0.plusSeconds(3)).get(0);
        assertThat(again.receiveCount()).isEqualTo(2);
        assertThat(queues().stats("orders", T0.plusSeconds(4))).isEqualTo(new QueueStats("orders", 0, 1, 0, 0));
    }

    @Test
    void aDeadLetteredMessageMovesToTheDlqWithItsIdAndMessage() {
        // given
        String id = queues().send("orders", message(7));
        QueueMessage received = queues().receive("orders", 1, VISIBILITY, T0).get(0);

        // when
        assertThat(queues().deadLetter(received.lease(), T0)).isTrue();

        // then
        assertThat(queues().stats("orders", T0)).isEqualTo(new QueueStats("orders", 0, 0, 0, 1));
        assertThat(queues().receive("orders", 10, VISIBILITY, T0.plusSeconds(60))).isEmpty();
        List<QueueMessage> dead = queues().receive("orders.dlq", 10, VISIBILITY, T0);
        assertThat(dead).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo(id);
            assertThat(m.message()).isEqualTo(message(7));
            assertThat(m.receiveCount()).isEqualTo(1);
        });
    }

    @Test
    void aMessageDeliveredFiveTimesWithoutAnAnswerIsDeadLetteredInsteadOfASixthDelivery() {
        // given: five deliveries whose consumer died (the lease expired each time)
        String id = queues().send("orders", message(1));
        Instant now = T0;
        for (int delivery = 1; delivery <= QueueStore.MAX_DELIVERIES; delivery++) {
            assertThat(queues().receive("orders", 1, VISIBILITY, now)).singleElement()
                    .satisfies(m -> assertThat(m.id()).isEqualTo(id));
            now = now.plus(VISIBILITY);
        }

        // when
        List<QueueMessage> sixth = queues().receive("orders", 1, VISIBILITY, now);

        // then
        assertThat(sixth).isEmpty();
        assertThat(queues().stats("orders", now).deadLettered()).isEqualTo(1);
        assertThat(queues().receive("orders.dlq", 1, VISIBILITY, now)).extracting(QueueMessage::id).containsExactly(id);
    }

    @Test
    void concurrentReceiversNeverGetTheSameMessage() {
        // given
        int messages = 200;
        IntStream.range(0, messages).forEach(i -> queues().send("work", message(i)));

        // when: four receivers take batches until the queue is empty, acknowledging as they go
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> receivers = IntStream.range(0, 4).mapToObj(r -> CompletableFuture.runAsync(() -> {
            List<QueueMessage> batch;
            while (!(batch = queues().receive("work", 7, VISIBILITY, T0)).isEmpty()) {
                for (QueueMessage m : batch) {
                    received.add(m.id());
                    assertThat(queues().delete(m.lease())).isTrue();
                }
            }
        })).toList();
        receivers.forEach(CompletableFuture::join);

        // then
        List<String> all = new ArrayList<>(received);
        Set<String> distinct = new HashSet<>(all);
        assertThat(all).hasSize(messages);
        assertThat(distinct).hasSize(messages);
        assertThat(queues().stats("work", T0)).isEqualTo(new QueueStats("work", 0, 0, 0, 0));
    }

    @Test
    void refusesAMessageOverTheLimitAndBadNames() {
        String big = "x".repeat(QueueStore.MAX_MESSAGE_BYTES);

        assertThatThrownBy(() -> queues().send("orders", JsonNodeFactory.instance.textNode(big)))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("over the limit 'queue message' of 1048576 bytes");
        assertThatThrownBy(() -> queues().send("Bad Name", message(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Expected a queue name of lower-case letters");
        assertThatThrownBy(() -> queues().send("orders", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Expected a message");
    }
}
