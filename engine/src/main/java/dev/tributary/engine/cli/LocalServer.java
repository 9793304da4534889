package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where a running local server can be reached: {@code <data dir>/server.json} holding its URL and
 * process id, written once the API listens and removed on shutdown, so the CLI finds the server
 * without {@code --server}. Minimal version written with the server command; the API/CLI owner
 * may replace it.
 */
public final class LocalServer {

    static final String FILE = "server.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A server found in a data directory. */
    public record Address(String url, long pid) {
    }

    private LocalServer() {
    }

    public static void write(Path dataDir, String url, long pid) {
        Path file = dataDir.resolve(FILE);
        try {
            Path temporary = Files.createTempFile(dataDir, "server", ".json");
            Files.writeString(temporary, JSON.createObjectNode().put("url", url).put("pid", pid).toString());
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to write " + file + ", but " + e.getMessage(), e);
        }
    }

    public static Optional<Address> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            JsonNode node = JSON.readTree(Files.readString(file));
            return Optional.of(new Address(node.path("url").asText(), node.path("pid").asLong()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static void clear(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE));
        } catch (IOException e) {
            // Best effort on shutdown: a stale file names a pid that is gone, which readers can check.
        }
    }
}
