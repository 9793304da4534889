package dev.tributary.dsl.model;

import dev.tributary.dsl.expr.ValueTemplate;
import java.util.Map;

/** Where an {@code http} function sends its input as JSON; header values may be expressions (secrets). */
public record HttpTarget(String url, String method, Map<String, ValueTemplate> headers) {

    public HttpTarget {
        headers = Map.copyOf(headers);
    }
}
