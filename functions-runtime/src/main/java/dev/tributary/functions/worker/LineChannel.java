package dev.tributary.functions.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * One end of a worker connection: UTF-8 JSON, one object per line (the worker protocol). Reading
 * is for the connection's single reader thread; sending may come from any thread.
 */
final class LineChannel implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A result (1 MiB) plus escaped logs fits well below this; more means a misbehaving worker. */
    static final int MAX_LINE_BYTES = 8 << 20;

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();
    private byte[] partial = new byte[0];
    private int partialLength;
    /** Makes sure someone will read the answer to what is sent (see WorkerSocket). */
    private volatile Runnable beforeSend = () -> { };

    LineChannel(SocketChannel channel) {
        this.channel = channel;
    }

    /** The next message, or null once the other side has closed the connection. */
    JsonNode read() throws IOException {
        while (true) {
            byte[] bytes = in.array();
            int start = in.position();
            int end = in.limit();
            for (int i = start; i < end; i++) {
                if (bytes[i] == '\n') {
                    in.position(i + 1);
                    JsonNode message;
                    if (partialLength == 0) {
                        message = parse(bytes, start, i - start);
                    } else {
                        keep(bytes, start, i - start);
                        message = parse(partial, 0, partialLength);
                        partialLength = 0;
                    }
                    if (message != null) {
                        return message;
                    }
                    start = i + 1;
                }
            }
            keep(bytes, start, end - start);
            in.clear();
            int read = channel.read(in);
            in.flip();
            if (read < 0) {
                return null;
            }
        }
    }

    void send(JsonNode message) throws IOException {
        send(WireMessages.line(message));
    }

    void beforeSend(Runnable action) {
        this.beforeSend = action;
    }

    /** Sends a line that already ends with a newline. */
    void send(byte[] line) throws IOException {
        beforeSend.run();
        ByteBuffer out = ByteBuffer.wrap(line);
        synchronized (this) {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing is how a worker is told to stop; a failure here leaves nothing to undo.
        }
    }

    private static JsonNode parse(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return null;
        }
        return JSON.readTree(bytes, offset, length);
    }

    private void keep(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        if (partialLength + length > MAX_LINE_BYTES) {
            throw new IOException("Expected a worker message of at most " + MAX_LINE_BYTES + " bytes, but got more");
        }
        if (partialLength + length > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partialLength + length, partial.length * 2));
        }
        System.arraycopy(bytes, offset, partial, partialLength, length);
        partialLength += length;
    }
}
