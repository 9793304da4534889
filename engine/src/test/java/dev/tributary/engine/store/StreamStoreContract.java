package dev.tributary.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.connectors.PayloadTooLargeException;
import dev.tributary.connectors.stream.Checkpoint;
import dev.tributary.connectors.stream.StreamRecord;
import dev.tributary.connectors.stream.StreamStore;
import dev.tributary.connectors.stream.StreamStore.ShardInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StreamStore} must do. A backend's test extends this and says how to open a
 * store (a {@link RunStore} whose {@code streams()} is tested) and how to open the same data again.
 */
abstract class StreamStoreContract {

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

    private StreamStore streams() {
        return store.streams();
    }

    static JsonNode data(int n) {
        return JsonNodeFactory.instance.objectNode().put("n", n);
    }

    @Test
    void putsRecordsOnTheirKeysShardNumberedFromOneAndReadsThemInOrderAfterAReopen() {
        // given
        int shard = StreamStore.shardOf("user-1");
        StreamStore.Appended first = streams().put("clicks", "user-1", data(1));
        StreamStore.Appended second = streams().put("clicks", "user-1", data(2));
        StreamStore.Appended third = streams().put("clicks", "user-1", JsonNodeFactory.instance.textNode("aGVsbG8="));

        // when
        store.close();
        store = reopenStore();
        List<StreamRecord> all = streams().read("clicks", shard, 0, 10);
        List<StreamRecord> afterFirst = streams().read("clicks", shard, 1, 1);

        // then
        assertThat(List.of(first, second, third)).containsExactly(new StreamStore.Appended(1, shard),
                new StreamStore.Appended(2, shard), new StreamStore.Appended(3, shard));
        assertThat(all).extracting(StreamRecord::sequence).containsExactly(1L, 2L, 3L);
        assertThat(all).extracting(StreamRecord::partitionKey).containsOnly("user-1");
        assertThat(all.get(2).data().asText()).isEqualTo("aGVsbG8=");
        assertThat(afterFirst).singleElement().satisfies(r -> assertThat(r.data()).isEqualTo(data(2)));
    }

    @Test
    void spreadsKeysOverFourShardsEachWithItsOwnSequence() {
        // when
        IntStream.range(0, 40).forEach(i -> streams().put("clicks", "key-" + i, data(i)));

        // then
        List<ShardInfo> shards = streams().shards("clicks");
        assertThat(shards).extracting(ShardInfo::shard).containsExactly(0, 1, 2, 3);
        assertThat(shards).allSatisfy(s -> assertThat(s.latestSequence()).isPositive());
        assertThat(shards.stream().mapToLong(ShardInfo::latestSequence).sum()).isEqualTo(40);
        for (ShardInfo s : shards) {
            assertThat(streams().read("clicks", s.shard(), 0, 100)).extracting(StreamRecord::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, s.latestSequence()).boxed().toList())
                    .isNotEmpty();
            assertThat(streams().latest("clicks", s.shard())).isEqualTo(s.latestSequence());
            assertThat(streams().trimHorizon("clicks", s.shard())).isZero();
        }
        assertThat(streams().shards("empty")).extracting(ShardInfo::latestSequence).containsExactly(0L, 0L, 0L, 0L);
        assertThat(streams().latest("empty", 0)).isZero();
        assertThat(streams().trimHorizon("empty", 0)).isZero();
    }

    @Test
    void aReaderFollowingConcurrentWritersNeverSkipsARecord() {
        // given: four writers on one key (one shard), and a reader that moves its position past what it saw
        int writers = 4;
        int perWriter = 50;
        int shard = StreamStore.shardOf("hot");
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Long> seen = new ArrayList<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            long position = 0;
            while (writing.get() || position < streams().latest("hot-stream", shard)) {
                for (StreamRecord r : streams().read("hot-stream", shard, position, 7)) {
                    seen.add(r.sequence());
                    position = r.sequence();
                }
            }
        });

        // when
        List<CompletableFuture<Void>> puts = IntStream.range(0, writers).mapToObj(w -> CompletableFuture.runAsync(() ->
                IntStream.range(0, perWriter).forEach(i -> streams().put("hot-stream", "hot", data(w * 1000 + i))))).toList();
        puts.forEach(CompletableFuture::join);
        writing.set(false);
        reader.join();

        // then: every sequence once, in order, none skipped by the reader
        List<Long> expected = LongStream.rangeClosed(1, writers * perWriter).boxed().toList();
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void keepsACheckpointWithItsPendingBatchPerConsumerAndShard() {
        // given
        Checkpoint pending = new Checkpoint("archive/clicks", "clicks", 2, 10, new Checkpoint.Pending(11, 20, 1));

        // when
        streams().saveCheckpoint(pending);
        streams().saveCheckpoint(new Checkpoint("other/clicks", "clicks", 2, 5, null));
        store.close();
        store = reopenStore();

        // then
        assertThat(streams().checkpoint("archive/clicks", "clicks", 2)).contains(pending);
        assertThat(streams().checkpoint("archive/clicks", "clicks", 1)).isEmpty();
        assertThat(streams().checkpoint("other/clicks", "clicks", 2)).hasValueSatisfying(c -> {
            assertThat(c.sequence()).isEqualTo(5);
            assertThat(c.pending()).isNull();
        });

        // when: served, then the next batch pending at its second attempt
        streams().saveCheckpoint(pending.servedUpTo(20));
        assertThat(streams().checkpoint("archive/clicks", "clicks", 2)).contains(pending.servedUpTo(20));
        Checkpoint retry = pending.servedUpTo(20).withPending(new Checkpoint.Pending(21, 21, 2));
        streams().saveCheckpoint(retry);

        // then
        assertThat(streams().checkpoint("archive/clicks", "clicks", 2)).contains(retry);
    }

    @Test
    void refusesOversizedDataBadKeysAndBadShards() {
        String big = "x".repeat(StreamStore.MAX_RECORD_BYTES);

        assertThatThrownBy(() -> streams().put("clicks", "k", JsonNodeFactory.instance.textNode(big)))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("over the limit 'stream record' of 1048576 bytes");
        assertThatThrownBy(() -> streams().put("clicks", "", data(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Expected a partition key of 1 to 256 characters");
        assertThatThrownBy(() -> streams().put("clicks", "k".repeat(257), data(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> streams().read("clicks", 4, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 0 to 3, but got 4");
        assertThatThrownBy(() -> streams().put("Clicks!", "k", data(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Expected a stream name");
    }
}
