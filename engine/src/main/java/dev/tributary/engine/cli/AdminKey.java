package dev.tributary.engine.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The admin API key of a local node, kept in {@code <dataDir>/admin.key} (owner-only). The
 * {@code server} command calls {@link #loadOrCreate} at start; client commands {@link #find} it.
 */
public final class AdminKey {

    public static final String FILE = "admin.key";
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminKey() {
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve(FILE);
    }

    /**
     * The key in {@code <dataDir>/admin.key}; on first start a new random one (32 bytes, base64url)
     * is written there, readable by the owner only. The data directory is created if needed.
     */
    public static String loadOrCreate(Path dataDir) {
        Optional<String> existing = find(dataDir);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path file = file(dataDir);
        try {
            OwnerOnly.createDirectories(dataDir);
            String key = generate();
            Path temp = Files.createTempFile(dataDir, ".admin", ".key", OwnerOnly.file(dataDir));
            try {
                Files.writeString(temp, key + "\n", StandardCharsets.UTF_8);
                // A link is created atomically and fails if the name is taken, so two servers starting
                // at once on one directory end up with the same key instead of overwriting each other's.
                Files.createLink(file, temp);
                return key;
            } catch (FileAlreadyExistsException raced) {
                return find(dataDir).orElseThrow(() -> new IllegalStateException(
                        "Expected the admin key in " + file + " after another process created it, but it is empty"));
            } catch (UnsupportedOperationException noHardLinks) {
                Files.move(temp, file);
                return key;
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to create the admin key in " + file + ", but " + e.getMessage(), e);
        }
    }

    /** The key stored in {@code <dataDir>/admin.key}, if there is one. */
    public static Optional<String> find(Path dataDir) {
        Path file = file(dataDir);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).trim();
            return key.isEmpty() ? Optional.empty() : Optional.of(key);
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to read the admin key in " + file + ", but " + e.getMessage(), e);
        }
    }

    static String generate() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Owner-only permissions where the file system has POSIX permissions; plain defaults elsewhere. */
    static final class OwnerOnly {

        private OwnerOnly() {
        }

        static FileAttribute<?>[] file(Path dir) {
            return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                    Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))} : new FileAttribute<?>[0];
        }

        static void createDirectories(Path dir) throws IOException {
            if (Files.isDirectory(dir)) {
                return;
            }
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && posix(parent)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }

        private static boolean posix(Path existing) {
            Path probe = existing;
            while (probe != null && !Files.exists(probe)) {
                probe = probe.toAbsolutePath().getParent();
            }
            return probe != null && probe.getFileSystem().supportedFileAttributeViews().contains("posix");
        }
    }
}
