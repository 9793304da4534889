package dev.tributary.dsl.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.Catcher;
import dev.tributary.dsl.model.ResultPath;
import dev.tributary.dsl.model.RetryPolicy;
import dev.tributary.dsl.model.Tolerance;
import dev.tributary.dsl.source.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the fields that shape how a step's outcome is handled: {@code result}, {@code retry}, {@code catch}, {@code tolerate}. */
final class StepModifiers {

    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})%");

    private StepModifiers() {
    }

    /** {@code result:} a dotted path, {@code false} to discard; the step's name when absent. */
    static ResultPath result(Fields f, String key, String stepName) {
        JsonNode v = f.get(key);
        if (v == null) {
            return stepName == null ? ResultPath.DISCARD : ResultPath.of(stepName);
        }
        if (v.isBoolean() && !v.asBoolean()) {
            return ResultPath.DISCARD;
        }
        if (!v.isTextual()) {
            f.report().atValue(f.at(key), "'" + key + "' is where the result goes in data: a path such as receipt or order.receipt, or false; got "
                    + Json.describe(v));
            return ResultPath.DISCARD;
        }
        ResultPath path = path(f, key, v.asText(), false);
        return path == null ? ResultPath.DISCARD : path;
    }

    static ResultPath path(Fields f, String key, String dotted, boolean atKey) {
        for (String segment : dotted.split("\\.", -1)) {
            if (segment.isEmpty()) {
                String message = "'" + dotted + "' is not a path into data: parts separated by single dots, none empty";
                if (atKey) {
                    f.report().atKey(f.at(key), message);
                } else {
                    f.report().atValue(f.at(key), message);
                }
                return null;
            }
        }
        return ResultPath.of(dotted);
    }

    static RetryPolicy retry(Fields f) {
        JsonNode v = f.get("retry");
        if (v == null) {
            return RetryPolicy.DEFAULT;
        }
        if (v.isTextual() && v.asText().equals("none")) {
            return RetryPolicy.NONE;
        }
        Fields r = Fields.of(v, f.at("retry"), f.report(), f.expressions(),
                "'none' or a retry policy {max-attempts, delay, backoff, max-delay, jitter, errors}");
        if (r == null) {
            return RetryPolicy.DEFAULT;
        }
        RetryPolicy d = RetryPolicy.DEFAULT;
        Integer attempts = r.integer("max-attempts", 1, 1000);
        Duration delay = r.duration("delay", null);
        JsonNode backoff = r.get("backoff");
        double factor = d.backoff();
        if (backoff != null) {
            if (!backoff.isNumber() || backoff.asDouble() < 1.0 || backoff.asDouble() > 100.0) {
                r.report().atValue(r.at("backoff"), "'backoff' multiplies the delay after each attempt: a number from 1.0 to 100, got " + Json.describe(backoff));
            } else {
                factor = backoff.asDouble();
            }
        }
        Duration maxDelay = r.duration("max-delay", null);
        Boolean jitter = r.bool("jitter");
        List<String> errors = r.strings("errors");
        r.rejectUnread("a retry policy", List.of("max-attempts", "delay", "backoff", "max-delay", "jitter", "errors"));
        return new RetryPolicy(attempts == null ? d.maxAttempts() : attempts, delay == null ? d.delay() : delay, factor,
                maxDelay == null ? d.maxDelay() : maxDelay, jitter == null ? d.jitter() : jitter,
                errors == null ? Set.of() : new HashSet<>(errors));
    }

    static List<Catcher> catchers(Fields f) {
        JsonNode v = f.get("catch");
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            f.report().atValue(f.at("catch"), "'catch' is a list of handlers, each {errors: [...], result, next}; got " + Json.describe(v));
            return List.of();
        }
        List<Catcher> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            Fields c = Fields.of(v.get(i), Paths.index(f.at("catch"), i), f.report(), f.expressions(), "a catch handler {errors, result, next}");
            if (c == null) {
                continue;
            }
            List<String> errors = c.missing("errors", "the error types handled, or [any]") ? null : c.strings("errors");
            if (errors != null && errors.isEmpty()) {
                c.report().atValue(c.at("errors"), "'errors' needs at least one error type, or [any]");
                errors = null;
            }
            ResultPath result = c.has("result") ? result(c, "result", null) : ResultPath.DISCARD;
            String next = c.name("next", Names.STEP, Names.STEP_RULE);
            c.rejectUnread("a catch handler", List.of("errors", "result", "next"));
            if (errors != null) {
                out.add(new Catcher(errors, result, next));
            }
        }
        return out;
    }

    static Tolerance tolerance(Fields f) {
        JsonNode v = f.get("tolerate");
        if (v == null) {
            return Tolerance.NONE;
        }
        if (v.canConvertToExactIntegral() && v.canConvertToInt() && v.asInt() >= 0) {
            return new Tolerance(v.asInt(), false);
        }
        Matcher m = v.isTextual() ? PERCENT.matcher(v.asText().trim()) : null;
        if (m != null && m.matches() && Integer.parseInt(m.group(1)) <= 100) {
            return new Tolerance(Integer.parseInt(m.group(1)), true);
        }
        f.report().atValue(f.at("tolerate"), "'tolerate' is how many iterations may fail: a count such as 3 or a percentage such as \"10%\"; got "
                + Json.describe(v));
        return Tolerance.NONE;
    }
}
