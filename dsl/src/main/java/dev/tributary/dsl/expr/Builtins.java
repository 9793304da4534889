package dev.tributary.dsl.expr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.tributary.dsl.time.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The functions callable without a namespace: {@code now()}, {@code uuid()}, {@code base64Encode(s)},
 * {@code base64Decode(s)}, {@code parseJson(s)}, {@code toJson(v)}, {@code duration(s)}, {@code secret(name)}.
 * ({@code size(v)} and {@code empty(v)} are JEXL operators.) Their messages never quote their argument, which may
 * be a secret.
 */
final class Builtins {

    private final Map<String, SandboxMethod> functions = new HashMap<>();
    private final SandboxArithmetic arithmetic;

    Builtins(SandboxArithmetic arithmetic) {
        this.arithmetic = arithmetic;
        define("now", 0, (e, a) -> now(e));
        define("uuid", 0, (e, a) -> e.context().uuids().get());
        define("base64Encode", 1, (e, a) -> base64Encode(a[0]));
        define("base64Decode", 1, (e, a) -> base64Decode(a[0]));
        define("parseJson", 1, (e, a) -> parseJson(a[0]));
        define("toJson", 1, (e, a) -> JsonValues.toJsonText(a[0], arithmetic.maxChars()));
        define("duration", 1, (e, a) -> duration(a[0]));
        define("secret", 1, (e, a) -> secret(e, a[0]));
    }

    /** The function, or null when there is none of that name and arity. */
    SandboxMethod find(String name, int arity) {
        return functions.get(name + '/' + arity);
    }

    private interface FunctionBody {
        Object call(Evaluation evaluation, Object[] args);
    }

    private void define(String name, int arity, FunctionBody body) {
        functions.put(name + '/' + arity, new SandboxMethod(Evaluation.class, name, arity, Object.class,
                (target, args) -> body.call((Evaluation) target, args)));
    }

    private static String now(Evaluation evaluation) {
        Instant now = evaluation.context().now();
        if (now == null) {
            throw EvaluationFailure.of("now() needs a clock, and the evaluation context has none");
        }
        return now.toString();
    }

    private String base64Encode(Object value) {
        String text = text("base64Encode", value);
        if ((text.length() + 2L) / 3 * 4 > arithmetic.maxChars()) {
            throw EvaluationFailure.limit("text produced by the expression is longer than "
                    + arithmetic.maxChars() + " characters");
        }
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private String base64Decode(Object value) {
        String text = text("base64Decode", value).strip();
        byte[] bytes;
        try {
            bytes = text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw EvaluationFailure.of("base64Decode() was given text that is not base64");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private Object parseJson(Object value) {
        String text = text("parseJson", value);
        try {
            return JsonValues.toScript(JsonValues.MAPPER.readTree(text));
        } catch (StreamConstraintsException e) {
            throw EvaluationFailure.of("parseJson() was given JSON nested deeper than " + Weight.MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw EvaluationFailure.of("parseJson() was given text that is not valid JSON" + where);
        }
    }

    private Long duration(Object value) {
        String text = text("duration", value);
        try {
            return Durations.parse(text).toMillis();
        } catch (IllegalArgumentException | ArithmeticException e) {
            // Durations names the text it was given: the caller redacts a secret from the message.
            throw EvaluationFailure.of("duration(): " + e.getMessage());
        }
    }

    private Object secret(Evaluation evaluation, Object name) {
        if (!(name instanceof String key) || key.isEmpty()) {
            throw EvaluationFailure.of("secret() needs a secret name as text");
        }
        String value = evaluation.context().secrets().resolve(key)
                .orElseThrow(() -> EvaluationFailure.of("secret '" + key + "' is not defined"));
        evaluation.context().redactions().add(value);
        return value;
    }

    private String text(String function, Object value) {
        if (value == null) {
            throw EvaluationFailure.of(function + "() needs a value, got null");
        }
        return value instanceof String s ? s : JsonValues.toText(value, arithmetic.maxChars());
    }
}
