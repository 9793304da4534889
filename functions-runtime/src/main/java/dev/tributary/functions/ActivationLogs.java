package dev.tributary.functions;

import java.nio.charset.StandardCharsets;

/**
 * Collects what an activation writes, keeping the first {@link #MAX_BYTES} bytes (SPEC §4) and
 * marking the cut, so a chatty function cannot grow the server's memory or the store. Not thread-safe.
 */
public final class ActivationLogs {

    public static final int MAX_BYTES = 64 * 1024;
    public static final String TRUNCATED_MARKER = "\n[log truncated: activation logs are kept up to 64 KiB]\n";

    private final int maxBytes;
    private final StringBuilder text = new StringBuilder();
    private int bytes;
    private boolean truncated;

    public ActivationLogs() {
        this(MAX_BYTES);
    }

    public ActivationLogs(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public void append(String chunk) {
        if (truncated || chunk.isEmpty()) {
            return;
        }
        byte[] utf8 = chunk.getBytes(StandardCharsets.UTF_8);
        if (bytes + utf8.length <= maxBytes) {
            text.append(chunk);
            bytes += utf8.length;
            return;
        }
        // Keep whole characters up to the cap.
        int room = maxBytes - bytes;
        int end = 0;
        int used = 0;
        while (end < chunk.length()) {
            int cp = chunk.codePointAt(end);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > room) {
                break;
            }
            used += size;
            end += Character.charCount(cp);
        }
        text.append(chunk, 0, end);
        bytes += used;
        truncated = true;
    }

    public boolean truncated() {
        return truncated;
    }

    /** The kept text, with the marker appended when something was cut. */
    @Override
    public String toString() {
        return truncated ? text + TRUNCATED_MARKER : text.toString();
    }
}
