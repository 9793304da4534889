package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the local node of a data directory listens: {@code <dataDir>/server.json}
 * {@code {"url": "...", "pid": N}}. The {@code server} command writes it once it listens and
 * clears it on shutdown; client commands find the server through it when given no URL.
 *
 * @param url the server's root URL, e.g. {@code http://127.0.0.1:8080}
 * @param pid the server's process id
 */
public record LocalServer(String url, long pid) {

    public static final String FILE = "server.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public LocalServer {
        Objects.requireNonNull(url, "url");
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve(FILE);
    }

    /** Records (atomically, replacing any previous record) that {@code pid} serves {@code url}. */
    public static void write(Path dataDir, String url, long pid) {
        Path file = file(dataDir);
        try {
            AdminKey.OwnerOnly.createDirectories(dataDir);
            Path temp = Files.createTempFile(dataDir, ".server", ".json");
            try {
                Files.writeString(temp, MAPPER.createObjectNode().put("url", url).put("pid", pid) + "\n", StandardCharsets.UTF_8);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to write " + file + ", but " + e.getMessage(), e);
        }
    }

    /**
     * The server recorded in the data directory, if its process is still alive. A record left by a
     * server that died without clearing it (kill -9) is ignored, as is an unreadable one.
     */
    public static Optional<LocalServer> find(Path dataDir) {
        Path file = file(dataDir);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode json = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (json == null || !json.path("url").isTextual() || !json.path("pid").canConvertToLong()) {
                return Optional.empty();
            }
            LocalServer server = new LocalServer(json.get("url").asText(), json.get("pid").asLong());
            return server.isAlive() ? Optional.of(server) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes the record on shutdown. A record naming another live process is left alone: it
     * belongs to a server that is still running (this one may have failed to start beside it).
     */
    public static void clear(Path dataDir) {
        Path file = file(dataDir);
        Optional<LocalServer> recorded = find(dataDir);
        if (recorded.isPresent() && recorded.get().pid() != ProcessHandle.current().pid()) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to remove " + file + ", but " + e.getMessage(), e);
        }
    }

    boolean isAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
