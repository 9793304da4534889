package dev.tributary.connectors.stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.Delivery;
import dev.tributary.connectors.EventSink;
import dev.tributary.connectors.PollLoop;
import dev.tributary.connectors.TriggerEvents;
import dev.tributary.dsl.model.TriggerSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source of a {@code stream:} trigger for one rule (SPEC §2.5, §3): one reader per shard
 * hands the records after the rule's checkpoint to the {@link EventSink} in batches of up to
 * {@code batch}, as {@code tributary.stream} CloudEvents meant for that rule only. A shard's next
 * batch goes out only after the previous one was served, so records of one partition key arrive in
 * order; the checkpoint moves after each served batch.
 *
 * <p>Before a batch is handed over, its range is written with the checkpoint, so a consumer that
 * starts after a crash hands over exactly the same batch with the same event id (the inbox
 * dedupes it if it was accepted). A batch whose rule failed is handed over again after a backoff
 * as a new attempt (a new event id, so it fires again), up to {@link #MAX_ATTEMPTS} attempts;
 * then it is skipped with a warning, like Kinesis' MaximumRetryAttempts. An event the sink could
 * not accept at all (the store is down) is retried as the same attempt, without a bound.
 * {@code start: oldest|latest} applies only while the rule has no checkpoint for a shard.
 *
 * <p>Reads run on the given executor and block on the store (give it a pool that may block).
 */
public final class StreamConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);

    /** Attempts of a batch whose rule fails before it is skipped. */
    public static final int MAX_ATTEMPTS = 5;

    /**
     * @param idlePoll  the longest wait between reads of a shard that had nothing new
     * @param retryBase the backoff after a batch's first failed attempt (doubling after each)
     * @param retryMax  the longest backoff
     */
    public record Settings(Duration idlePoll, Duration retryBase, Duration retryMax) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    private final String trigger;
    private final String rule;
    private final TriggerSource.Stream source;
    private final StreamStore store;
    private final EventSink sink;
    private final Clock clock;
    private final Settings settings;
    private final List<ShardReader> readers = new ArrayList<>();

    public StreamConsumer(String trigger, String rule, TriggerSource.Stream source, StreamStore store, EventSink sink, Clock clock,
                          ScheduledExecutorService executor) {
        this(trigger, rule, source, store, sink, clock, executor, Settings.DEFAULTS);
    }

    public StreamConsumer(String trigger, String rule, TriggerSource.Stream source, StreamStore store, EventSink sink, Clock clock,
                          ScheduledExecutorService executor, Settings settings) {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.source = Objects.requireNonNull(source, "source");
        this.store = Objects.requireNonNull(store, "store");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(executor, "executor");
        for (int shard = 0; shard < StreamStore.SHARDS; shard++) {
            readers.add(new ShardReader(shard, executor));
        }
    }

    /** The checkpoint row's consumer: the rule (the row's key also holds the stream and shard). */
    public String consumerId() {
        return rule;
    }

    /** Starts every shard's reader on the executor. */
    public void start() {
        readers.forEach(r -> r.loop.start());
    }

    /** Every shard reads at once (a record was just put on this node); a no-op unless started. */
    public void wake() {
        readers.forEach(r -> r.loop.wake());
    }

    /** Stops reading; a batch in flight keeps its pending range and is handed over again by the next consumer. */
    @Override
    public void close() {
        readers.forEach(r -> r.loop.close());
    }

    /**
     * One step of one shard's reader, as {@link #start()} repeats it: hands over the pending batch or
     * the next one and completes, once that delivery has been settled, with true; with false
     * when there was nothing to hand over. Ignores retry backoffs. For tests and manual drivers.
     */
    public CompletableFuture<Boolean> poll(int shard) {
        return readers.get(shard).step().thenApply(next -> next != Step.IDLE);
    }

    /** What a step asks for next. */
    private enum Step { MORE, IDLE, RETRY, REPLAY }

    private final class ShardReader {

        private final int shard;
        private final ScheduledExecutorService executor;
        private final PollLoop loop;
        private Checkpoint checkpoint; // read and written by one step at a time
        private int unaccepted; // handovers the sink refused in a row

        ShardReader(int shard, ScheduledExecutorService executor) {
            this.shard = shard;
            this.executor = executor;
            this.loop = new PollLoop("stream trigger " + trigger + " rule " + rule + " shard " + shard, executor, settings.idlePoll(),
                    () -> step().thenApply(this::next));
        }

        private PollLoop.Next next(Step step) {
            return switch (step) {
                case MORE -> PollLoop.Next.NOW;
                case IDLE -> PollLoop.Next.IDLE;
                case RETRY -> PollLoop.Next.after(backoff(checkpoint.pending().attempt() - 1));
                case REPLAY -> PollLoop.Next.after(backoff(unaccepted));
            };
        }

        /** {@code retryBase × 2^(n-1)}, at most {@code retryMax}. */
        private Duration backoff(int n) {
            Duration delay = settings.retryBase();
            for (int i = 1; i < n && delay.compareTo(settings.retryMax()) < 0; i++) {
                delay = delay.multipliedBy(2);
            }
            return delay.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : delay;
        }

        synchronized CompletableFuture<Step> step() {
            Checkpoint at = current();
            Checkpoint.Pending pending = at.pending();
            List<StreamRecord> records;
            if (pending == null) {
                records = store.read(source.stream(), shard, at.sequence(), source.batch());
                if (records.isEmpty()) {
                    return CompletableFuture.completedFuture(Step.IDLE);
                }
                pending = new Checkpoint.Pending(records.get(0).sequence(), records.get(records.size() - 1).sequence(), 1);
                save(at.withPending(pending)); // before handing over: a crash from here on hands over this same batch
            } else {
                records = store.read(source.stream(), shard, pending.from() - 1, pending.size());
                if (records.isEmpty()) { // gone (retention): nothing left to hand over
                    save(at.servedUpTo(pending.to()));
                    return CompletableFuture.completedFuture(Step.MORE);
                }
            }
            Checkpoint.Pending handed = pending;
            String eventId = trigger + "/" + rule + "/" + shard + "/" + handed.from() + "-" + handed.to() + "/" + handed.attempt();
            ObjectNode event = TriggerEvents.forRule(TriggerEvents.event(trigger, "tributary.stream", eventId, null, clock.instant(),
                    data(records)), rule);
            CompletableFuture<Delivery> delivery;
            try {
                delivery = sink.accept(event);
            } catch (RuntimeException e) {
                delivery = CompletableFuture.failedFuture(e);
            }
            // settled on the executor: the sink's thread belongs to the router and must not wait on the store
            return delivery.handleAsync((done, error) -> settle(handed, eventId, done, error), executor);
        }

        private synchronized Step settle(Checkpoint.Pending handed, String eventId, Delivery delivery, Throwable error) {
            if (error != null) {
                unaccepted++;
                LOG.warn("The event router did not accept batch {} of stream trigger {}; handing it over again: {}", eventId, trigger,
                        error.getMessage());
                return Step.REPLAY;
            }
            unaccepted = 0;
            if (delivery.succeeded()) {
                save(checkpoint.servedUpTo(handed.to()));
                return Step.MORE;
            }
            if (handed.attempt() >= MAX_ATTEMPTS) {
                LOG.warn("Skipping records {}..{} of stream {} shard {} for rule {}: {} attempts failed, the last with {}", handed.from(),
                        handed.to(), source.stream(), shard, rule, handed.attempt(), failures(delivery));
                save(checkpoint.servedUpTo(handed.to()));
                return Step.MORE;
            }
            LOG.info("Batch {} of stream trigger {} failed for rule {}; trying again: {}", eventId, trigger, rule, failures(delivery));
            save(checkpoint.withPending(new Checkpoint.Pending(handed.from(), handed.to(), handed.attempt() + 1)));
            return Step.RETRY;
        }

        /** The rule's checkpoint of this shard; without one, a new one at the trigger's start position. */
        private Checkpoint current() {
            if (checkpoint == null) {
                checkpoint = store.checkpoint(rule, source.stream(), shard).orElseGet(() -> {
                    long start = source.start() == TriggerSource.StartPosition.OLDEST
                            ? store.trimHorizon(source.stream(), shard) : store.latest(source.stream(), shard);
                    Checkpoint first = new Checkpoint(rule, source.stream(), shard, start, null);
                    store.saveCheckpoint(first); // so "latest" means when the rule first read, not when it restarted
                    return first;
                });
            }
            return checkpoint;
        }

        private void save(Checkpoint next) {
            store.saveCheckpoint(next);
            checkpoint = next;
        }
    }

    private static ObjectNode data(List<StreamRecord> records) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        ArrayNode list = data.putArray("records");
        for (StreamRecord r : records) {
            ObjectNode record = list.addObject();
            record.put("partitionKey", r.partitionKey());
            record.put("sequence", r.sequence());
            record.put("shard", r.shard());
            record.set("data", r.data());
        }
        return data;
    }

    private static String failures(Delivery delivery) {
        return delivery.outcomes().stream().filter(o -> !o.succeeded())
                .map(o -> o.rule() + ": " + o.errorType() + (o.errorMessage() == null ? "" : " " + o.errorMessage()))
                .reduce((a, b) -> a + "; " + b).orElse("not served");
    }
}
