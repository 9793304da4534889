package dev.tributary.engine.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a page of runs ended: the last run's start time and id (the listing's sort key). Callers
 * get it as an opaque token; it is Base64 so nobody is tempted to build one by hand.
 */
record RunCursor(long startedAtMicros, String id) {

    static RunCursor after(RunRecord last) {
        return new RunCursor(Columns.micros(last.startedAt()), last.id());
    }

    /** The cursor in {@code token}, or null for a first page. */
    static RunCursor parse(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            return new RunCursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Expected a cursor returned with a previous page of runs, but got '" + token + "'", e);
        }
    }

    String token() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((startedAtMicros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }
}
