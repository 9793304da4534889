package dev.tributary.dsl.load;

import dev.tributary.dsl.expr.ValueTemplate;
import dev.tributary.dsl.model.TriggerDef;
import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.dsl.model.TriggerSource.FileEvent;
import dev.tributary.dsl.model.TriggerSource.HttpAuth;
import dev.tributary.dsl.model.TriggerSource.Misfire;
import dev.tributary.dsl.model.TriggerSource.StartPosition;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/** Reads a {@code trigger:} document (SPEC §2.5). */
final class TriggerReader {

    static final List<String> SOURCES = List.of("cron", "every", "http", "github", "queue", "stream", "files", "event");
    static final List<String> FIELDS = List.of("trigger", "description", "cron", "every", "http", "github", "queue", "stream",
            "files", "event", "timezone", "misfire", "batch", "start");
    /** Fields that belong to one or two sources only. */
    private static final Map<String, Set<String>> EXTRAS = Map.of(
            "timezone", Set.of("cron"), "misfire", Set.of("cron"), "batch", Set.of("queue", "stream"), "start", Set.of("stream"));
    private static final Pattern HOOK_PATH = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9/_-]{0,199}");
    private static final Pattern EVENT_PATTERN = Pattern.compile("(\\*|[A-Za-z0-9_-]+)(\\.(\\*|[A-Za-z0-9_-]+))*");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private TriggerReader() {
    }

    static TriggerDef read(Fields f) {
        int before = f.report().count();
        String name = f.name("trigger", Names.RESOURCE, Names.RESOURCE_RULE);
        String description = f.string("description");
        List<String> sources = SOURCES.stream().filter(f::has).toList();
        if (sources.size() != 1) {
            if (sources.isEmpty()) {
                f.report().atValue(f.path(), "a trigger needs one source: " + String.join(", ", SOURCES));
            } else {
                f.report().atKey(f.at(sources.get(1)), "a trigger has exactly one source, but '" + sources.get(0) + "' and '"
                        + sources.get(1) + "' are both given");
            }
            f.rejectUnknown("a trigger", FIELDS);
            return null;
        }
        String kind = sources.get(0);
        EXTRAS.forEach((key, owners) -> {
            if (f.has(key) && !owners.contains(kind)) {
                f.get(key);
                f.report().atKey(f.at(key), "'" + key + "' does not apply to a " + kind + " trigger; it goes with "
                        + String.join(" or ", owners.stream().sorted().toList()));
            }
        });
        TriggerSource source = switch (kind) {
            case "cron" -> cron(f);
            case "every" -> every(f);
            case "http" -> http(f.child("http", "{path, methods, auth, secret, key, respond, timeout}"));
            case "github" -> github(f.child("github", "{secret, events}"));
            case "queue" -> queue(f);
            case "stream" -> stream(f);
            case "files" -> files(f.child("files", "{dir, glob, events}"));
            case "event" -> event(f);
            default -> throw new IllegalStateException("no reader for trigger source " + kind);
        };
        f.rejectUnread("a trigger", FIELDS);
        if (f.report().count() > before || name == null || source == null) {
            return null;
        }
        return new TriggerDef(name, description, source);
    }

    private static TriggerSource cron(Fields f) {
        String expression = f.string("cron");
        ZoneId zone = ZoneOffset.UTC;
        String tz = f.string("timezone");
        if (tz != null) {
            try {
                zone = ZoneId.of(tz);
            } catch (DateTimeException e) {
                f.report().atValue(f.at("timezone"), "unknown time zone '" + tz + "'; use an IANA name such as Europe/Berlin or UTC");
            }
        }
        Misfire misfire = f.choice("misfire", Misfire.class, Misfire.RUN_ONCE);
        if (expression == null) {
            return null;
        }
        String problem = cronProblem(expression);
        if (problem != null) {
            f.report().atValue(f.at("cron"), problem);
            return null;
        }
        return new TriggerSource.Cron(expression.trim(), zone, misfire);
    }

    /** Quartz's verdict on a cron expression, with a hint for the usual mistakes; null if it is fine. */
    static String cronProblem(String expression) {
        String[] fields = expression.trim().split("\\s+");
        if (fields.length == 5) {
            return "'" + expression + "' has 5 fields, but Quartz cron has seconds first: 6 or 7 fields "
                    + "(second minute hour day-of-month month day-of-week [year]), e.g. '0 " + fields[0] + " " + fields[1] + " "
                    + fields[2] + " " + fields[3] + " " + ("*".equals(fields[4]) ? "?" : fields[4]) + "'";
        }
        try {
            CronExpression.validateExpression(expression.trim());
            return null;
        } catch (ParseException e) {
            String reason = e.getMessage();
            if (reason != null && reason.contains("day-of-week AND a day-of-month")) {
                reason = "day-of-month and day-of-week cannot both be given: make one of them '?'";
            }
            return "bad cron '" + expression + "': " + reason;
        }
    }

    private static TriggerSource every(Fields f) {
        Duration interval = f.duration("every", null);
        if (interval != null && interval.compareTo(Duration.ofSeconds(1)) < 0) {
            f.report().atValue(f.at("every"), "'every' must be at least 1s, got " + f.get("every").asText());
            return null;
        }
        return interval == null ? null : new TriggerSource.Every(interval);
    }

    private static TriggerSource http(Fields h) {
        if (h == null) {
            return null;
        }
        int before = h.report().count();
        String path = h.missing("path", "the hook path: the trigger listens at /hooks/<path>") ? null : h.string("path");
        if (path != null && !HOOK_PATH.matcher(path).matches()) {
            h.report().atValue(h.at("path"), "'" + path + "' is not a hook path: letters, digits, '/', '_' and '-', not starting with '/'");
        }
        List<String> methods = h.strings("methods");
        if (methods != null) {
            methods.stream().filter(m -> !METHODS.contains(m)).findFirst().ifPresent(m ->
                    h.report().atValue(h.at("methods"), "unknown HTTP method '" + m + "'; use GET, POST, PUT, PATCH or DELETE"));
        }
        HttpAuth auth = h.choice("auth", HttpAuth.class, HttpAuth.KEY);
        ValueTemplate secret = h.template("secret");
        ValueTemplate key = h.template("key");
        if (auth == HttpAuth.HMAC && secret == null && !h.has("secret")) {
            h.report().atValue(h.path(), "auth: hmac needs 'secret' (the shared key for X-Signature-256)");
        }
        Boolean respond = h.bool("respond");
        Duration timeout = h.duration("timeout", Duration.ofMinutes(15));
        h.rejectUnread("an http trigger", List.of("path", "methods", "auth", "secret", "key", "respond", "timeout"));
        if (h.report().count() > before) {
            return null;
        }
        return new TriggerSource.Http(path, methods == null ? List.of("POST") : methods, auth, secret, key,
                Boolean.TRUE.equals(respond), timeout == null ? TriggerSource.Http.DEFAULT_TIMEOUT : timeout);
    }

    private static TriggerSource github(Fields g) {
        if (g == null) {
            return null;
        }
        ValueTemplate secret = g.missing("secret", "the webhook secret, usually ${ secret('name') }") ? null : g.template("secret");
        List<String> events = g.strings("events");
        g.rejectUnread("a github trigger", List.of("secret", "events"));
        return secret == null ? null : new TriggerSource.GitHub(secret, events == null ? List.of() : events);
    }

    private static TriggerSource queue(Fields f) {
        String queue = f.name("queue", Names.CONNECTOR, Names.CONNECTOR_RULE);
        Integer batch = f.integer("batch", 1, TriggerSource.Queue.MAX_BATCH);
        return queue == null ? null : new TriggerSource.Queue(queue, batch == null ? 1 : batch);
    }

    private static TriggerSource stream(Fields f) {
        String stream = f.name("stream", Names.CONNECTOR, Names.CONNECTOR_RULE);
        Integer batch = f.integer("batch", 1, TriggerSource.Stream.MAX_BATCH);
        StartPosition start = f.choice("start", StartPosition.class, StartPosition.LATEST);
        return stream == null ? null : new TriggerSource.Stream(stream, batch == null ? TriggerSource.Stream.DEFAULT_BATCH : batch, start);
    }

    private static TriggerSource files(Fields w) {
        if (w == null) {
            return null;
        }
        String dir = w.missing("dir", "the directory to watch") ? null : w.string("dir");
        String glob = w.string("glob");
        if (glob != null) {
            try {
                java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (RuntimeException e) {
                w.report().atValue(w.at("glob"), "bad glob '" + glob + "': " + e.getMessage());
                glob = null;
            }
        }
        List<String> names = w.strings("events");
        Set<FileEvent> events = EnumSet.noneOf(FileEvent.class);
        if (names != null) {
            for (String n : names) {
                try {
                    events.add(FileEvent.valueOf(n.toUpperCase()));
                } catch (IllegalArgumentException e) {
                    w.report().atValue(w.at("events"), "unknown file event '" + n + "'; use created, modified or deleted");
                }
            }
        }
        w.rejectUnread("a files trigger", List.of("dir", "glob", "events"));
        if (dir == null) {
            return null;
        }
        return new TriggerSource.Files(dir, glob == null ? "*" : glob, events.isEmpty() ? EnumSet.of(FileEvent.CREATED) : events);
    }

    private static TriggerSource event(Fields f) {
        String pattern = f.string("event");
        if (pattern != null && !EVENT_PATTERN.matcher(pattern).matches()) {
            f.report().atValue(f.at("event"), "'" + pattern + "' is not an event type pattern: dot-separated parts, '*' for one or more parts (e.g. order.*)");
            return null;
        }
        return pattern == null ? null : new TriggerSource.EventPattern(pattern);
    }
}
