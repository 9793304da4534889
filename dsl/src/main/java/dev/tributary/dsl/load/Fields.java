package dev.tributary.dsl.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.expr.ExpressionSyntaxException;
import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.expr.TemplateSyntaxException;
import dev.tributary.dsl.expr.ValueTemplate;
import dev.tributary.dsl.model.Condition;
import dev.tributary.dsl.source.Paths;
import dev.tributary.dsl.source.SourceLocation;
import dev.tributary.dsl.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the fields of one JSON object of a definition, reporting every wrong type or value at
 * its place, and remembers which fields were read so that the rest can be reported as unknown.
 * Getters return null for an absent field and for a field whose problem was just reported.
 */
final class Fields {

    private final JsonNode node;
    private final String path;
    private final Report report;
    private final Expressions expressions;
    private final Set<String> read = new HashSet<>();

    private Fields(JsonNode node, String path, Report report, Expressions expressions) {
        this.node = node;
        this.path = path;
        this.report = report;
        this.expressions = expressions;
    }

    /** The object at {@code path}, or null (reported) if the value there is not an object. */
    static Fields of(JsonNode node, String path, Report report, Expressions expressions, String what) {
        if (node == null || !node.isObject()) {
            report.atValue(path, "expected " + what + " (an object), got " + Json.describe(node));
            return null;
        }
        return new Fields(node, path, report, expressions);
    }

    Fields child(String key, String what) {
        JsonNode value = get(key);
        return value == null ? null : of(value, at(key), report, expressions, what);
    }

    String path() {
        return path;
    }

    Report report() {
        return report;
    }

    Expressions expressions() {
        return expressions;
    }

    String at(String key) {
        return Paths.field(path, key);
    }

    boolean has(String key) {
        return node.has(key);
    }

    /** The raw value, marked as read; null if absent. */
    JsonNode get(String key) {
        read.add(key);
        return node.get(key);
    }

    boolean missing(String key, String what) {
        if (!node.has(key)) {
            report.atValue(path, "missing required field '" + key + "' (" + what + ")");
            return true;
        }
        return false;
    }

    String string(String key) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            report.atValue(at(key), "'" + key + "' must be text, got " + Json.describe(v));
            return null;
        }
        return v.asText();
    }

    String requiredString(String key, String what) {
        return missing(key, what) ? null : string(key);
    }

    /** A text value that must match {@code pattern}; {@code rule} says in words what matches. */
    String name(String key, Pattern pattern, String rule) {
        String v = string(key);
        if (v != null && !pattern.matcher(v).matches()) {
            String what = pattern == Names.STEP ? "step" : pattern == Names.FUNCTION ? "function" : key;
            report.atValue(at(key), "'" + v + "' is not a valid " + what + " name: " + rule);
            return null;
        }
        return v;
    }

    Integer integer(String key, int min, int max) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToInt()) {
            report.atValue(at(key), "'" + key + "' must be a whole number from " + min + " to " + max + ", got " + Json.describe(v));
            return null;
        }
        int i = v.asInt();
        if (i < min || i > max) {
            report.atValue(at(key), "'" + key + "' must be from " + min + " to " + max + ", got " + i);
            return null;
        }
        return i;
    }

    Boolean bool(String key) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            report.atValue(at(key), "'" + key + "' must be true or false, got " + Json.describe(v));
            return null;
        }
        return v.asBoolean();
    }

    Duration duration(String key, Duration max) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            report.atValue(at(key), "'" + key + "' must be a duration such as 30s, 5m or PT1H, got " + Json.describe(v));
            return null;
        }
        try {
            Duration d = Durations.parse(v.asText());
            if (max != null && d.compareTo(max) > 0) {
                report.atValue(at(key), "'" + key + "' is " + v.asText() + ", over the maximum of " + Durations.format(max));
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            report.atValue(at(key), e.getMessage());
            return null;
        }
    }

    /** One of the enum's constants, written lower-case with dashes (e.g. {@code run-once}). */
    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        String v = string(key);
        if (v == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (Json.key(e).equals(v)) {
                return e;
            }
        }
        report.atValue(at(key), "'" + key + "' must be one of " + Json.keys(type) + ", got '" + v + "'");
        return fallback;
    }

    /** A list of texts; a single text is accepted as a list of one. */
    List<String> strings(String key) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            report.atValue(at(key), "'" + key + "' must be a list of texts, got " + Json.describe(v));
            return null;
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                report.atValue(Paths.index(at(key), i), "expected text, got " + Json.describe(v.get(i)));
                return null;
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    /** Any JSON value; every {@code ${...}} inside is compiled. */
    ValueTemplate template(String key) {
        JsonNode v = get(key);
        return v == null ? null : template(v, at(key));
    }

    ValueTemplate template(JsonNode value, String valuePath) {
        try {
            return expressions.template(value);
        } catch (TemplateSyntaxException e) {
            String inner = e.path().isEmpty() ? valuePath
                    : e.path().startsWith("[") || valuePath.isEmpty() ? valuePath + e.path() : valuePath + "." + e.path();
            JsonNode text = Json.at(value, e.path());
            report.at(locate(inner, text == null ? "" : text.asText(), e.offset()), inner, "expression syntax: " + e.detail());
            return null;
        } catch (ExpressionSyntaxException e) {
            report.at(locate(valuePath, value.asText(), e.offset()), valuePath, "expression syntax: " + e.detail());
            return null;
        }
    }

    /** A condition: one whole {@code ${ ... }} expression whose truthiness decides. */
    Condition condition(String key) {
        JsonNode v = get(key);
        return v == null ? null : condition(v, at(key));
    }

    Condition condition(JsonNode v, String valuePath) {
        String text = v.isTextual() ? v.asText().trim() : "";
        if (!text.startsWith("${") || !text.endsWith("}")) {
            report.atValue(valuePath, "a condition must be one expression written as ${ ... }, e.g. ${ data.total > 100 }; got "
                    + (v.isTextual() ? "'" + v.asText() + "'" : Json.describe(v)));
            return null;
        }
        ValueTemplate t = template(v, valuePath);
        if (t == null) {
            return null;
        }
        if (t.expressions().size() != 1) {
            report.atValue(valuePath, "a condition must be exactly one ${ ... } expression, not text around or between expressions");
            return null;
        }
        return new Condition(t.expressions().get(0));
    }

    /** Where the character {@code offset} of a string value stood in the file. */
    private SourceLocation locate(String valuePath, String text, int offset) {
        SourceLocation start = report.map().valueAt(valuePath);
        int safe = Math.max(0, Math.min(offset, text.length()));
        int lineBreak = text.lastIndexOf('\n', safe - 1);
        if (lineBreak < 0) {
            return start.shiftedBy(safe);
        }
        int lines = (int) text.substring(0, safe).chars().filter(c -> c == '\n').count();
        return new SourceLocation(start.file(), start.line() + lines + 1, safe - lineBreak);
    }

    /** Reports every field that is not in {@code known}, read or not (for a document that failed early). */
    void rejectUnknown(String where, Collection<String> known) {
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                report.atKey(at(key), "unknown field '" + key + "' in " + where + Suggestions.hint(key, known));
            }
        });
    }

    /** Reports every field not read so far; {@code known} feeds "did you mean" hints. */
    void rejectUnread(String where, Collection<String> known) {
        Iterator<String> keys = node.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!read.contains(key)) {
                report.atKey(at(key), "unknown field '" + key + "' in " + where + Suggestions.hint(key, known));
            }
        }
    }
}
