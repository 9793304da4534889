package dev.tributary.dsl.model;

import dev.tributary.dsl.expr.ValueTemplate;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/** Where a trigger's events come from: exactly one source key per trigger. */
public sealed interface TriggerSource {

    /** The source's key as written in the DSL, e.g. {@code cron}. */
    String kind();

    /** {@code cron:} a Quartz cron expression (seconds first; L, W, # supported) in a time zone. */
    record Cron(String expression, ZoneId zone, Misfire misfire) implements TriggerSource {
        public String kind() {
            return "cron";
        }
    }

    /** What to do about fire times missed while no node was up. */
    enum Misfire {
        RUN_ONCE, SKIP, RUN_ALL;

        public String kind() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** {@code every:} a fixed interval. */
    record Every(Duration interval) implements TriggerSource {
        public String kind() {
            return "every";
        }
    }

    /** {@code http:} a webhook at {@code /hooks/<path>}. */
    record Http(String path, List<String> methods, HttpAuth auth, ValueTemplate secret, ValueTemplate apiKey,
                boolean respond, Duration timeout) implements TriggerSource {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

        public Http {
            methods = List.copyOf(methods);
        }

        public String kind() {
            return "http";
        }
    }

    enum HttpAuth { NONE, KEY, HMAC }

    /** {@code github:} a GitHub webhook at {@code /hooks/github/<trigger>}. */
    record GitHub(ValueTemplate secret, List<String> events) implements TriggerSource {
        public GitHub {
            events = List.copyOf(events);
        }

        public String kind() {
            return "github";
        }
    }

    /** {@code queue:} messages of a built-in durable queue, {@code batch} per event. */
    record Queue(String queue, int batch) implements TriggerSource {
        public static final int MAX_BATCH = 100;

        public String kind() {
            return "queue";
        }
    }

    /** {@code stream:} records of a built-in partitioned stream, up to {@code batch} per event. */
    record Stream(String stream, int batch, StartPosition start) implements TriggerSource {
        public static final int DEFAULT_BATCH = 100;
        public static final int MAX_BATCH = 10_000;

        public String kind() {
            return "stream";
        }
    }

    enum StartPosition { OLDEST, LATEST }

    /** {@code files:} changes to files matching a glob in a directory. */
    record Files(String dir, String glob, Set<FileEvent> events) implements TriggerSource {
        public Files {
            events = Set.copyOf(events);
        }

        public String kind() {
            return "files";
        }
    }

    enum FileEvent { CREATED, MODIFIED, DELETED }

    /** {@code event:} CloudEvents whose type matches a pattern ({@code *} = one or more segments). */
    record EventPattern(String pattern) implements TriggerSource {
        public String kind() {
            return "event";
        }

        public boolean matches(String type) {
            return TypePattern.matches(pattern, type);
        }
    }
}
