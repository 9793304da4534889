package dev.tributary.engine.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The admin API key of a local node, kept in {@code <data dir>/admin.key} readable by its owner
 * only, so the CLI on the same machine finds it without being told. Minimal version written
 * with the server command; the API/CLI owner may replace it.
 */
public final class AdminKey {

    static final String FILE = "admin.key";

    private final String value;
    private final Path file;

    private AdminKey(String value, Path file) {
        this.value = value;
        this.file = file;
    }

    /** The key stored in {@code dataDir}, or a new random one stored there first. */
    public static AdminKey loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                create(file, "trib_" + HexFormat.of().formatHex(random));
            }
            return new AdminKey(Files.readString(file, StandardCharsets.UTF_8).trim(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to read or create the admin key at " + file + ", but " + e.getMessage(), e);
        }
    }

    private static void create(Path file, String key) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
    }

    public String value() {
        return value;
    }

    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "AdminKey[" + file + "]";
    }
}
