package dev.tributary.dsl.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.expr.ValueTemplate;
import dev.tributary.dsl.model.Action;
import dev.tributary.dsl.model.Condition;
import dev.tributary.dsl.model.ResultPath;
import dev.tributary.dsl.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Reads the three forms of {@code wait:} — a duration, {@code {until}}, or {@code {event, key, match, timeout, result}}. */
final class WaitReader {

    private static final List<String> FIELDS = List.of("until", "event", "key", "match", "timeout", "result");

    private final Fields step;

    WaitReader(Fields step) {
        this.step = step;
    }

    Action read() {
        JsonNode v = step.get("wait");
        String at = step.at("wait");
        if (v.isTextual()) {
            if (v.asText().contains("${")) {
                step.report().atValue(at, "a wait duration is fixed; to wait for a computed time write wait: {until: ${ ... }}");
                return null;
            }
            try {
                return new Action.Delay(Durations.parse(v.asText()));
            } catch (IllegalArgumentException e) {
                step.report().atValue(at, e.getMessage());
                return null;
            }
        }
        Fields w = Fields.of(v, at, step.report(), step.expressions(),
                "a duration, {until: <time>} or {event: <type>, key, match, timeout, result}");
        if (w == null) {
            return null;
        }
        if (w.has("until") && w.has("event")) {
            w.report().atKey(w.at("event"), "a wait is either {until: <time>} or {event: ...}, not both");
            return null;
        }
        if (w.has("until")) {
            return until(w);
        }
        if (w.has("event")) {
            return event(w);
        }
        w.report().atValue(at, "a wait object needs 'until' (a time) or 'event' (an event type)");
        w.rejectUnread("a wait", FIELDS);
        return null;
    }

    private Action until(Fields w) {
        ValueTemplate time = w.template("until");
        w.rejectUnread("a wait until (it holds only 'until')", FIELDS);
        if (time == null) {
            return null;
        }
        if (time.isConstant()) {
            JsonNode raw = time.raw();
            if (!raw.isTextual() || !isInstant(raw.asText())) {
                w.report().atValue(w.at("until"), "'until' must be an ISO-8601 time such as 2026-12-31T23:00:00Z, or an expression; got "
                        + Json.describe(raw));
                return null;
            }
        }
        return new Action.Until(time);
    }

    private Action event(Fields w) {
        String type = w.string("event");
        ValueTemplate key = w.template("key");
        Condition match = w.condition("match");
        Duration timeout = w.duration("timeout", null);
        ResultPath result = StepModifiers.result(w, "result", step.has("name") && step.get("name").isTextual() ? step.get("name").asText() : null);
        w.rejectUnread("a wait for an event", FIELDS);
        if (type == null) {
            return null;
        }
        if (type.isBlank() || type.contains("${")) {
            w.report().atValue(w.at("event"), "'event' is the CloudEvent type to wait for, fixed text such as review.decided");
            return null;
        }
        return new Action.AwaitEvent(type, key, match, timeout, result);
    }

    private static boolean isInstant(String text) {
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            try {
                OffsetDateTime.parse(text);
                return true;
            } catch (DateTimeParseException e2) {
                return false;
            }
        }
    }
}
