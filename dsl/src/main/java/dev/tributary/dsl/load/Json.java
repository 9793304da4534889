package dev.tributary.dsl.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Small helpers for talking about JSON values in messages. */
final class Json {

    private static final Pattern SEGMENT = Pattern.compile("\\[(\\d+)]|\\[\"((?:[^\"\\\\]|\\\\.)*)\"]|\\.?([^.\\[]+)");

    private Json() {
    }

    /** "a number", "a list", "nothing" ... for "expected X, got Y". */
    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) return "nothing";
        if (v.isNull()) return "null";
        if (v.isTextual()) return "text '" + abbreviate(v.asText()) + "'";
        if (v.isBoolean()) return v.asText();
        if (v.isNumber()) return "the number " + v.asText();
        if (v.isArray()) return "a list";
        return "an object";
    }

    /** The value at a relative path such as {@code a.b[2].c}; null if there is none. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        Matcher m = SEGMENT.matcher(path);
        while (node != null && m.find()) {
            if (m.group(1) != null) {
                node = node.get(Integer.parseInt(m.group(1)));
            } else if (m.group(2) != null) {
                node = node.get(m.group(2).replace("\\\"", "\""));
            } else {
                node = node.get(m.group(3));
            }
        }
        return node;
    }

    static String key(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String keys(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Json::key).collect(Collectors.joining(", "));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
