package dev.tributary.functions.process;

import dev.tributary.functions.ActivationLogs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains a process's stderr to its end, keeping the start (the activation's log, capped like any
 * log) and the last {@link #TAIL_BYTES} bytes (for the error message of a failed exit) and
 * discarding the rest, so a chatty process neither blocks on a full pipe nor grows the server's
 * memory. Thread-safe: the draining thread writes while another may read a snapshot.
 */
final class StderrCollector {

    static final int TAIL_BYTES = 2048;

    private final int logBytes;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final byte[] tail = new byte[TAIL_BYTES];
    private long total;

    StderrCollector(int logBytes) {
        this.logBytes = logBytes;
    }

    /** Reads {@code stderr} until its end (or until it fails because the process is gone). */
    void drain(InputStream stderr) {
        byte[] buffer = new byte[8192];
        try (stderr) {
            int n;
            while ((n = stderr.read(buffer)) > 0) {
                accept(buffer, n);
            }
        } catch (IOException e) {
            // The pipe broke: the process is gone, and what was read is what there is.
        }
    }

    synchronized void accept(byte[] buffer, int n) {
        // One byte past the cap is enough for ActivationLogs to see the cut and mark it.
        int keep = (int) Math.min(n, Math.max(0, logBytes + 1 - head.size()));
        head.write(buffer, 0, keep);
        for (int i = Math.max(0, n - TAIL_BYTES); i < n; i++) {
            tail[(int) ((total + i) % TAIL_BYTES)] = buffer[i];
        }
        total += n;
    }

    /** What the activation's log shows: the start of stderr, cut at {@code logBytes} with the marker. */
    synchronized String logs() {
        ActivationLogs logs = new ActivationLogs(logBytes);
        logs.append(head.toString(StandardCharsets.UTF_8));
        return logs.toString();
    }

    /** The last bytes of stderr as text (a character cut at the start is dropped), trimmed. */
    synchronized String tail() {
        int size = (int) Math.min(total, TAIL_BYTES);
        byte[] last = new byte[size];
        for (int i = 0; i < size; i++) {
            last[i] = tail[(int) ((total - size + i) % TAIL_BYTES)];
        }
        int start = 0;
        while (size == TAIL_BYTES && start < size && (last[start] & 0xC0) == 0x80) {
            start++; // a UTF-8 continuation byte: its character began before the tail
        }
        return new String(last, start, size - start, StandardCharsets.UTF_8).strip();
    }
}
