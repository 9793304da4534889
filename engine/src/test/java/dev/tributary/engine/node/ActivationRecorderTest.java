package dev.tributary.engine.node;

import static dev.tributary.engine.store.ActivationFixtures.anActivation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.engine.store.ActivationPage;
import dev.tributary.engine.store.ActivationQuery;
import dev.tributary.engine.store.ActivationStore;
import dev.tributary.engine.store.ActivationTotals;
import dev.tributary.engine.store.StoreException;
import dev.tributary.engine.store.Usage;
import dev.tributary.functions.Activation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActivationRecorderTest {

    private final GatedStore store = new GatedStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ActivationRecorder recorder;

    @AfterEach
    void stop() {
        store.open();
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void writesWhatQueuedUpMeanwhileInBatches() {
        // given: the first write holds the writer while 45 more arrive
        recorder = new ActivationRecorder(store, registry, 1000, 20);
        store.hold();
        recorder.record(activation(0));
        store.awaitEntered();
        IntStream.rangeClosed(1, 45).forEach(i -> recorder.record(activation(i)));

        // when
        store.open();

        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> store.stored().size() == 46);
        assertThat(store.batchSizes).containsExactly(1, 20, 20, 5);
        assertThat(store.stored()).extracting(Activation::id).isEqualTo(IntStream.rangeClosed(0, 45).mapToObj(i -> "a-" + i).toList());
        assertThat(registry.get("tributary.activations.recorded").counter().count()).isEqualTo(46);
    }

    @Test
    void writesEverythingQueuedBeforeCloseReturns() {
        // given
        recorder = new ActivationRecorder(store, registry, 1000, 500);
        store.hold();
        IntStream.range(0, 300).forEach(i -> recorder.record(activation(i)));
        store.awaitEntered();

        // when
        store.open();
        recorder.close();

        // then
        assertThat(store.stored()).hasSize(300);
    }

    @Test
    void completesADurableRecordOnlyOnceItIsStored() throws Exception {
        // given
        recorder = new ActivationRecorder(store, registry, 1000, 500);
        store.hold();

        // when
        CompletableFuture<Void> stored = recorder.recordDurably(activation(1));
        store.awaitEntered();

        // then
        assertThat(stored).isNotDone();
        store.open();
        stored.get(10, TimeUnit.SECONDS);
        assertThat(store.stored()).extracting(Activation::id).containsExactly("a-1");
    }

    @Test
    void dropsAndCountsWhatDoesNotFitInsteadOfBlocking() {
        // given: the writer holds a-1, the queue of 2 holds a-2 and a-3
        recorder = new ActivationRecorder(store, registry, 2, 500);
        store.hold();
        recorder.record(activation(1));
        store.awaitEntered();
        recorder.record(activation(2));
        recorder.record(activation(3));

        // when
        recorder.record(activation(4));
        CompletableFuture<Void> durable = recorder.recordDurably(activation(5));

        // then
        assertThat(registry.get("tributary.activations.dropped").tag("reason", "queue_full").counter().count()).isEqualTo(2);
        assertThat(durable).isCompletedExceptionally();
        assertThat(durable.handle((v, e) -> e).join()).isInstanceOf(StoreException.class).hasMessageContaining("full");
        store.open();
        recorder.close();
        assertThat(store.stored()).extracting(Activation::id).containsExactly("a-1", "a-2", "a-3");
    }

    @Test
    void keepsTheRestOfABatchWhenOneActivationCannotBeStored() {
        // given
        store.refuse("a-2");
        recorder = new ActivationRecorder(store, registry, 1000, 500);
        store.hold();
        recorder.record(activation(0));
        store.awaitEntered();
        CompletableFuture<Void> bad = recorder.recordDurably(activation(2));
        recorder.record(activation(1));
        recorder.record(activation(3));

        // when
        store.open();
        recorder.close();

        // then
        assertThat(store.stored()).extracting(Activation::id).containsExactlyInAnyOrder("a-0", "a-1", "a-3");
        assertThat(bad).isCompletedExceptionally();
        assertThat(registry.get("tributary.activations.dropped").tag("reason", "store_failed").counter().count()).isEqualTo(1);
    }

    @Test
    void dropsWhatArrivesAfterClose() {
        // given
        recorder = new ActivationRecorder(store, registry, 1000, 500);
        recorder.close();

        // when
        recorder.record(activation(1));
        CompletableFuture<Void> durable = recorder.recordDurably(activation(2));

        // then
        assertThat(durable).isCompletedExceptionally();
        assertThat(registry.get("tributary.activations.dropped").tag("reason", "closed").counter().count()).isEqualTo(2);
        assertThat(store.stored()).isEmpty();
    }

    private static Activation activation(int n) {
        return anActivation("a-" + n).build();
    }

    /** A store whose writes can be held at a gate, and that refuses chosen ids (failing the whole batch they are in). */
    private static final class GatedStore implements ActivationStore {

        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        private final List<Activation> stored = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private final CountDownLatch entered = new CountDownLatch(1);
        private volatile Set<String> refused = Set.of();

        void hold() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        void refuse(String id) {
            refused = Set.of(id);
        }

        void awaitEntered() {
            try {
                assertThat(entered.await(10, TimeUnit.SECONDS)).as("the writer reached the store").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        List<Activation> stored() {
            return stored;
        }

        @Override
        public void record(List<Activation> activations) {
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (activations.stream().anyMatch(a -> refused.contains(a.id()))) {
                throw new StoreException("Expected to record activations, but the test refuses them", null);
            }
            batchSizes.add(activations.size());
            stored.addAll(activations);
        }

        @Override
        public Optional<Activation> activation(String id) {
            return stored.stream().filter(a -> a.id().equals(id)).findFirst();
        }

        @Override
        public ActivationPage activations(ActivationQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Usage usage(Instant from, Instant to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ActivationTotals runCost(String runId) {
            throw new UnsupportedOperationException();
        }
    }
}
