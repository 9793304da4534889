package dev.tributary.functions;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Measures a JSON value as compact UTF-8 text without building the text, stopping early past a bound. */
final class JsonSize {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonSize() {
    }

    /** True when the value written as compact JSON takes more than {@code maxBytes} bytes. */
    static boolean exceeds(JsonNode value, long maxBytes) {
        if (value == null) {
            return false;
        }
        CountingStream counter = new CountingStream(maxBytes);
        try (JsonGenerator generator = MAPPER.getFactory().createGenerator(counter)) {
            MAPPER.writeTree(generator, value);
        } catch (Overflow e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.count > maxBytes;
    }

    private static final class Overflow extends IOException {
        private static final long serialVersionUID = 1L;

        Overflow() {
            super(null, null);
        }
    }

    private static final class CountingStream extends OutputStream {
        private final long max;
        private long count;

        CountingStream(long max) {
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            add(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            add(len);
        }

        private void add(long n) throws IOException {
            count += n;
            if (count > max) {
                throw new Overflow();
            }
        }
    }
}
