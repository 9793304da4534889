package dev.tributary.engine.api;

import java.util.List;

/** Reading {@code ?name=value} parameters the same way on every route; a bad value is a 400 that names the parameter. */
final class QueryParameters {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    private QueryParameters() {
    }

    /** The one value of {@code ?name=}, or null when it is not given. */
    static String single(List<String> values, String name) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiError.badRequest("Expected ?" + name + "= once, but it is given " + values.size() + " times");
        }
        return values.get(0);
    }

    /** The trimmed value of {@code ?name=}, or null when it is absent or blank. */
    static String optional(List<String> values, String name) {
        String value = single(values, name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** {@code ?limit=} of a list: 1 to {@link #MAX_LIMIT}, {@link #DEFAULT_LIMIT} when absent. */
    static int limit(List<String> values) {
        String value = single(values, "limit");
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("Expected ?limit= to be a whole number from 1 to " + MAX_LIMIT + ", but it is '" + value + "'");
    }
}
