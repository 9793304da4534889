package dev.tributary.engine.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key secrets are sealed with: 32 random bytes in {@code <data-dir>/secrets.key}, made on a
 * node's first start with owner-only permissions and read on every start after. Every node of a
 * cluster needs the same file (copy it from the first node before starting the others).
 */
final class SecretKeyFile {

    static final String NAME = "secrets.key";
    static final int KEY_BYTES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(SecretKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretKeyFile() {
    }

    /** The key file of {@code dataDir}: read if it is there, otherwise made. */
    static SecretCipher loadOrCreate(Path dataDir) {
        Path file = dataDir.toAbsolutePath().resolve(NAME);
        if (!Files.exists(file)) {
            create(file);
        }
        return new SecretCipher(read(file), file);
    }

    static byte[] read(Path file) {
        byte[] key;
        try {
            key = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("Expected to read the secrets key file " + file + ", but " + describe(e)
                    + "; the node needs it (the same file on every node) to open the stored secrets", e);
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("Expected the secrets key file " + file + " to hold " + KEY_BYTES
                    + " bytes, but it holds " + key.length + "; restore the file the secrets were stored with"
                    + " (every node needs the same one)");
        }
        warnIfOthersCanRead(file);
        return key;
    }

    /** Writes a fresh key beside the target and moves it in, so no reader ever sees half a key. */
    private static void create(Path file) {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path partial = file.resolveSibling(NAME + ".partial");
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(partial);
            try (FileChannel out = FileChannel.open(partial, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    ownerOnly(file))) {
                out.write(ByteBuffer.wrap(key));
                out.force(true);
            }
            Files.move(partial, file); // refuses to replace a key another process made meanwhile
            LOG.info("Made a new secrets key {}; every node of a cluster needs a copy of this file", file);
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(partial); // a node starting beside us made it first: read theirs
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new IllegalStateException("Expected to create the secrets key file " + file + ", but " + describe(e), e);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path file) {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")
                    && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
                LOG.warn("The secrets key file {} can be read by others than its owner; chmod 600 it", file);
            }
        } catch (IOException e) {
            LOG.debug("Could not read the permissions of {}: {}", file, e.toString());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover partial file is replaced on the next start
        }
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
