package dev.tributary.functions.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.InvocationResult;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Copies a Java handler's result out through its compact JSON text: the copy cannot be changed by
 * the handler afterwards (a warm instance may keep and reuse the node it returned), and the text's
 * length is what the result limit measures — writing stops as soon as it is over.
 */
final class ResultCopy {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultCopy() {
    }

    /** {@code result} as a tree of its own, or LimitExceeded when its JSON text is over {@code maxBytes}. */
    static InvocationResult of(String functionName, JsonNode result, long maxBytes) {
        if (result == null) {
            return new InvocationResult.Success(NullNode.getInstance());
        }
        CappedBytes text = new CappedBytes(maxBytes);
        try {
            JSON.writeValue(text, result);
            return new InvocationResult.Success(JSON.readTree(text.bytes(), 0, text.size()));
        } catch (IOException e) {
            if (e instanceof CappedBytes.Overflow || e.getCause() instanceof CappedBytes.Overflow) {
                return new InvocationResult.Failure(FailureTypes.LIMIT_EXCEEDED, "the result of java function '"
                        + functionName + "' is over the limit 'function result' of " + maxBytes + " bytes");
            }
            return new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, "Expected java function '" + functionName
                    + "' to return a JSON value, but writing it failed: " + e.getMessage());
        }
    }

    /** A byte buffer that refuses to grow past a limit, so an oversized result is never written out whole. */
    private static final class CappedBytes extends OutputStream {
        private final long max;
        private byte[] buffer = new byte[256];
        private int size;

        CappedBytes(long max) {
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            room(1);
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            room(len);
            System.arraycopy(b, off, buffer, size, len);
            size += len;
        }

        private void room(int more) throws Overflow {
            if (size + (long) more > max) {
                throw new Overflow();
            }
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(max, Math.max(2L * buffer.length, size + more)));
            }
        }

        byte[] bytes() {
            return buffer;
        }

        int size() {
            return size;
        }

        static final class Overflow extends IOException {
            private static final long serialVersionUID = 1L;
        }
    }
}
