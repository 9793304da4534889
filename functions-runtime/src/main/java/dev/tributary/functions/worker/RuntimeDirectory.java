package dev.tributary.functions.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A runtime's private directory (mode 0700): the worker socket, the extracted bootstrap script,
 * and per process a scratch directory (its cwd and HOME) and a file for what it writes to its
 * real stdout/stderr (read for the tail when it dies, deleted with the scratch).
 */
final class RuntimeDirectory {

    private final Path root;

    private RuntimeDirectory(Path root) {
        this.root = root;
    }

    /** Creates the directory, or takes it over from an earlier run of this runtime, deleting what that run left. */
    static RuntimeDirectory create(Path root) {
        try {
            createPrivate(root);
            createPrivate(root.resolve("scratch"));
            createPrivate(root.resolve("output"));
            RuntimeDirectory directory = new RuntimeDirectory(root);
            directory.deleteLeftovers();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to create the runtime directory " + root + ", but " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }

    private void deleteLeftovers() throws IOException {
        for (String kind : new String[] {"scratch", "output"}) {
            try (Stream<Path> paths = Files.walk(root.resolve(kind))) {
                paths.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(root.resolve(kind))).forEach(ProcessFiles::deleteQuietly);
            }
        }
    }

    Path socket() {
        return root.resolve("workers.sock");
    }

    /** Copies a classpath resource next to the socket (replacing an older copy) and returns its path. */
    Path extract(String resource, String fileName) {
        Path target = root.resolve(fileName);
        try (InputStream in = RuntimeDirectory.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Expected the resource " + resource + " on the classpath, but it is missing");
            }
            Path partial = Files.createTempFile(root, fileName, ".partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to write " + target + ", but " + e.getMessage(), e);
        }
    }

    ProcessFiles filesFor(String token) {
        Path scratch = root.resolve("scratch").resolve(token);
        try {
            createPrivate(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to create the scratch directory " + scratch + ", but " + e.getMessage(), e);
        }
        return new ProcessFiles(scratch, root.resolve("output").resolve(token + ".log"));
    }

    private static void createPrivate(Path directory) throws IOException {
        try {
            Files.createDirectories(directory.getParent());
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** A process's scratch directory and output file. */
    record ProcessFiles(Path scratch, Path output) {

        private static final int TAIL_BYTES = 2048;

        /** The last bytes the process wrote to its real stdout/stderr, or "" if none. */
        String outputTail() {
            try {
                if (!Files.exists(output)) {
                    return "";
                }
                byte[] all = Files.readAllBytes(output);
                int from = Math.max(0, all.length - TAIL_BYTES);
                return new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return "";
            }
        }

        void delete() {
            try {
                Files.deleteIfExists(output);
                if (Files.exists(scratch)) {
                    try (Stream<Path> paths = Files.walk(scratch)) {
                        paths.sorted(Comparator.reverseOrder()).forEach(ProcessFiles::deleteQuietly);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // A process still writing as it dies can race the walk; what is left goes with the next start.
            }
        }

        private static void deleteQuietly(Path path) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // See delete().
            }
        }
    }
}
