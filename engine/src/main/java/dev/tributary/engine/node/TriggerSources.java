package dev.tributary.engine.node;

import dev.tributary.connectors.EventSink;
import dev.tributary.connectors.files.FileSource;
import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.model.TriggerDef;
import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.engine.store.JdbcRunStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trigger sources running on this node, kept equal to what is deployed: after every change to
 * the definitions, a source whose trigger is gone, changed or left without an enabled rule is
 * stopped, and one that should run is started. Sources that take work out of a store (files) only
 * run while a rule would serve their events, so nothing is consumed that no rule handles.
 */
final class TriggerSources implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerSources.class);

    private final JdbcRunStore store;
    private final Definitions definitions;
    private final EventSink sink;
    private final Map<String, AutoCloseable> running = new HashMap<>();
    private boolean closed;

    TriggerSources(JdbcRunStore store, Definitions definitions, EventSink sink) {
        this.store = store;
        this.definitions = definitions;
        this.sink = sink;
    }

    /** Starts and stops sources so that they match {@code book}. */
    synchronized void sync(RuleBook book) {
        if (closed) {
            return;
        }
        Map<String, Starter> wanted = new LinkedHashMap<>();
        for (TriggerDef trigger : book.triggers()) {
            if (trigger.source() instanceof TriggerSource.Files files && book.hasEnabledRule(trigger.name())) {
                wanted.put(key(trigger), () -> {
                    FileSource source = FileSource.builder(trigger.name(), files, sink, store.seenFiles()).build();
                    source.start();
                    return source;
                });
            }
        }
        running.entrySet().removeIf(e -> {
            if (wanted.containsKey(e.getKey())) {
                return false;
            }
            stop(e.getKey(), e.getValue());
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
        running.forEach(TriggerSources::stop);
        running.clear();
    }

    @FunctionalInterface
    private interface Starter {
        AutoCloseable start();
    }
}
