package dev.tributary.engine.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page of a newest-first listing (runs, activations) ended: the last row's start time
 * and id, the listing's sort key. Callers get it as an opaque token; it is Base64 so nobody is
 * tempted to build one by hand.
 */
record PageCursor(long startedAtMicros, String id) {

    static PageCursor after(Instant startedAt, String id) {
        return new PageCursor(Columns.micros(startedAt), id);
    }

    /**
     * The cursor in {@code token}, or null for a first page.
     *
     * @param what the listing, for the message ("runs")
     */
    static PageCursor parse(String token, String what) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            return new PageCursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Expected a cursor returned with a previous page of " + what + ", but got '"
                    + token + "'", e);
        }
    }

    String token() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((startedAtMicros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }
}
