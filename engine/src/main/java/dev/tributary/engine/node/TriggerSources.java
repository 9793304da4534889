package dev.tributary.engine.node;

import dev.tributary.connectors.EventSink;
import dev.tributary.connectors.files.FileSource;
import dev.tributary.connectors.queue.QueueConsumer;
import dev.tributary.connectors.schedule.ScheduleConfig;
import dev.tributary.connectors.schedule.Schedules;
import dev.tributary.connectors.stream.StreamConsumer;
import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.model.TriggerDef;
import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.engine.store.JdbcRunStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trigger sources running on this node, kept equal to what is deployed: after every change to
 * the definitions, a source whose trigger is gone, changed or left without an enabled rule is
 * stopped, and one that should run is started. Sources that take work out of a store (files) only
 * run while a rule would serve their events, so nothing is consumed that no rule handles. A stream
 * has one consumer per enabled rule (each rule keeps its own checkpoints), a queue one per trigger.
 */
final class TriggerSources implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerSources.class);

    private final JdbcRunStore store;
    private final Definitions definitions;
    private final EventSink sink;
    private final Clock clock;
    /** Queue and stream consumers poll here; their polls block on the store, so not an event loop. */
    private final ScheduledExecutorService consumers = Executors.newScheduledThreadPool(4, NamedThreads.daemon("tributary-consumer"));
    private final Map<String, Running> running = new HashMap<>();
    /** Cron and every triggers: one Quartz scheduler for all of them; null when this node fires nothing on its own. */
    private final Schedules schedules;
    private boolean schedulesStarted;
    private boolean closed;

    /** A started source, and the queue or stream it reads (for wake-ups), if any. */
    private record Running(AutoCloseable source, String queue, String stream, Runnable wake) {
    }

    /**
     * @param accepting the sink for schedules: answered once an event is durable and its rules have
     *                  started, so a slow rule does not hold one of Quartz's few threads
     * @param nodeId    null when this node must not fire schedules (manual timers: tests drive time)
     */
    TriggerSources(JdbcRunStore store, Definitions definitions, EventSink sink, EventSink accepting, Clock clock, String nodeId) {
        this.store = store;
        this.definitions = definitions;
        this.sink = sink;
        this.clock = clock;
        this.schedules = nodeId == null ? null
                : new Schedules(ScheduleConfig.of(store.dataSource(), isPostgres(store), nodeId, true), accepting, clock);
    }

    private static boolean isPostgres(JdbcRunStore store) {
        try (Connection c = store.dataSource().getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("Expected to read which database the store is, but " + e.getMessage(), e);
        }
    }

    /** Starts and stops sources so that they match {@code book}. */
    synchronized void sync(RuleBook book) {
        if (closed) {
            return;
        }
        syncSchedules(book);
        Map<String, Starter> wanted = new LinkedHashMap<>();
        for (TriggerDef trigger : book.triggers()) {
            if (!book.hasEnabledRule(trigger.name())) {
                continue; // nothing would serve its events: take nothing out of a queue, stream or directory
            }
            String key = key(trigger);
            // cron and every run on the scheduler; http, github and event need no source
            if (trigger.source() instanceof TriggerSource.Files files) {
                wanted.put(key, () -> {
                    FileSource source = FileSource.builder(trigger.name(), files, sink, store.seenFiles()).build();
                    source.start();
                    return new Running(source, null, null, () -> { });
                });
            } else if (trigger.source() instanceof TriggerSource.Queue queue) {
                wanted.put(key, () -> {
                    QueueConsumer consumer = new QueueConsumer(trigger.name(), queue, store.queues(), sink, clock, consumers);
                    consumer.start();
                    return new Running(consumer, queue.queue(), null, consumer::wake);
                });
            } else if (trigger.source() instanceof TriggerSource.Stream stream) {
                for (RuleBook.Rule rule : book.rulesOf(trigger.name())) {
                    if (rule.enabled()) {
                        wanted.put(key + "/" + rule.name(), () -> {
                            StreamConsumer consumer = new StreamConsumer(trigger.name(), rule.name(), stream, store.streams(), sink,
                                    clock, consumers);
                            consumer.start();
                            return new Running(consumer, null, stream.stream(), consumer::wake);
                        });
                    }
                }
            }
        }
        running.entrySet().removeIf(e -> {
            if (wanted.containsKey(e.getKey())) {
                return false;
            }
            stop(e.getKey(), e.getValue().source());
            return true;
        });
        wanted.forEach((key, starter) -> {
            if (!running.containsKey(key)) {
                try {
                    running.put(key, starter.start());
                    LOG.info("Started trigger source {}", key);
                } catch (RuntimeException e) {
                    LOG.warn("Could not start trigger source {}: {}", key, e.toString());
                }
            }
        });
    }

    /** Every cron and every trigger is scheduled, with or without rules: a firing is one cheap event, and its slots stay in step. */
    private void syncSchedules(RuleBook book) {
        if (schedules == null) {
            return;
        }
        try {
            schedules.sync(book.triggers());
            if (!schedulesStarted) {
                schedules.start();
                schedulesStarted = true;
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not bring the schedules in step with the deployed triggers: {}", e.toString());
        }
    }

    /** Something was sent to {@code queue} on this node: its consumers look now rather than at their next poll. */
    synchronized void queueSent(String queue) {
        running.values().stream().filter(r -> queue.equals(r.queue())).forEach(r -> r.wake().run());
    }

    /** A record was put on {@code stream} on this node. */
    synchronized void recordPut(String stream) {
        running.values().stream().filter(r -> stream.equals(r.stream())).forEach(r -> r.wake().run());
    }

    /** A trigger's identity as deployed: a new version is a new source. */
    private String key(TriggerDef trigger) {
        int version = definitions.latest(Kind.TRIGGER, trigger.name()).map(Definitions.Deployed::version).orElse(0);
        return trigger.source().kind() + ":" + trigger.name() + "@" + version;
    }

    private static void stop(String key, AutoCloseable source) {
        try {
            source.close();
            LOG.info("Stopped trigger source {}", key);
        } catch (Exception e) {
            LOG.warn("Could not stop trigger source {} cleanly: {}", key, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (schedules != null) {
            stop("schedules", schedules);
        }
        running.forEach((key, r) -> stop(key, r.source()));
        running.clear();
        consumers.shutdownNow();
    }

    @FunctionalInterface
    private interface Starter {
        Running start();
    }
}
