package dev.tributary.functions.code;

import dev.tributary.dsl.model.FunctionDef;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds uploaded function code on local disk, fetching it from the store by its digest
 * ({@code code-sha256}) and unpacking it the first time this node needs it:
 * <ul>
 * <li>inline source: as {@link InlineCode} writes it;</li>
 * <li>a {@code .jar}: kept whole as {@code <root>/jar-<sha256>/function.jar};</li>
 * <li>anything else (a file, a directory, a {@code .zip}): unpacked into {@code <root>/<sha256>/}.</li>
 * </ul>
 * Unpacking happens once per digest: into a fresh directory next to the target, renamed into place
 * when complete, so a worker never sees half an archive and a crash leaves no directory that looks
 * finished. The fetched bytes must hash to the digest; the archive must pass {@link ArchiveUnpacker}'s
 * checks (no names that escape, bounded entries and size). Safe for many threads.
 */
public final class StoredCode implements CodeLocator {

    private static final String JAR = "function.jar";
    private static final String PARTIAL = ".partial-";

    private final Path root;
    private final Function<String, Optional<byte[]>> fetch;
    private final ArchiveLimits limits;
    private final InlineCode inline;
    private final Map<String, Object> unpacking = new ConcurrentHashMap<>();

    /**
     * @param root  where code is kept, e.g. {@code <data-dir>/code}; created when first needed
     * @param fetch the archive stored under a digest, if any (the engine passes its code store's {@code get})
     */
    public StoredCode(Path root, Function<String, Optional<byte[]>> fetch) {
        this(root, fetch, ArchiveLimits.DEFAULTS);
    }

    public StoredCode(Path root, Function<String, Optional<byte[]>> fetch, ArchiveLimits limits) {
        this.root = root;
        this.fetch = fetch;
        this.limits = limits;
        this.inline = new InlineCode(root);
    }

    @Override
    public LocatedCode locate(FunctionDef function) {
        if (function.code().isInline()) {
            return inline.locate(function);
        }
        String path = function.code().path();
        if (path == null) {
            throw new CodeUnavailableException("Expected function '" + function.name() + "' to have code, but a "
                    + function.runtime().key() + " function has none to locate");
        }
        String sha256 = function.code().sha256();
        if (sha256 == null) {
            throw new CodeUnavailableException("Expected function '" + function.name() + "' to carry the digest of its uploaded "
                    + "code (code-sha256), but it has none: deploy it again with 'trib deploy', which uploads the code");
        }
        boolean jar = CodeArchive.Kind.of(path) == CodeArchive.Kind.JAR;
        Path directory = root.resolve(jar ? "jar-" + sha256 : sha256);
        if (!Files.isDirectory(directory)) {
            synchronized (unpacking.computeIfAbsent(sha256 + (jar ? "/jar" : ""), k -> new Object())) {
                if (!Files.isDirectory(directory)) {
                    install(function, sha256, jar, directory);
                }
            }
        }
        return new LocatedCode(directory, defaultModule(function, path, jar, directory));
    }

    private void install(FunctionDef function, String sha256, boolean jar, Path directory) {
        byte[] bytes = fetch.apply(sha256).orElseThrow(() -> new CodeUnavailableException("Expected the code of function '"
                + function.name() + "' (sha256 " + sha256 + ") in the store, but it is not there"));
        String actual = CodeArchive.sha256(bytes);
        if (!actual.equals(sha256)) {
            throw new CodeUnavailableException("Expected the stored code of function '" + function.name() + "' to have sha256 "
                    + sha256 + ", but it has " + actual + ": the stored copy is damaged; deploy the function again");
        }
        Path partial = null;
        try {
            Files.createDirectories(root);
            partial = Files.createTempDirectory(root, PARTIAL + sha256 + "-");
            if (jar) {
                ArchiveUnpacker.verifyJar(bytes);
                Files.write(partial.resolve(JAR), bytes);
            } else {
                ArchiveUnpacker.unpack(bytes, partial, limits);
            }
            moveIntoPlace(partial, directory);
        } catch (IOException e) {
            throw new CodeUnavailableException("Expected to unpack the code of function '" + function.name() + "' (sha256 "
                    + sha256 + ") into " + directory + ", but " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /** Renames the finished directory into place; if another process got there first, theirs stays. */
    private static void moveIntoPlace(Path partial, Path directory) throws IOException {
        try {
            try {
                Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, directory);
            }
        } catch (IOException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }

    /**
     * What a handler without a module refers to: none for a jar; the file's name without its
     * extension when the code is a single file; else {@code main} (python) or {@code index} (node).
     */
    private static String defaultModule(FunctionDef function, String path, boolean jar, Path directory) {
        if (jar) {
            return null;
        }
        String name = lastSegment(path);
        if (!CodeArchive.isArchivePath(path) && isSingleFile(directory, name)) {
            int dot = name.lastIndexOf('.');
            return dot > 0 ? name.substring(0, dot) : name;
        }
        return switch (function.runtime()) {
            case PYTHON -> "main";
            case NODE -> "index";
            default -> null;
        };
    }

    /** The single-file form: one entry, a file named as the path's last segment. */
    private static boolean isSingleFile(Path directory, String name) {
        try (Stream<Path> entries = Files.list(directory)) {
            List<Path> all = entries.limit(2).toList();
            return all.size() == 1 && all.get(0).getFileName().toString().equals(name) && Files.isRegularFile(all.get(0));
        } catch (IOException e) {
            throw new CodeUnavailableException("Expected to list the code in " + directory + ", but " + e.getMessage(), e);
        }
    }

    private static String lastSegment(String path) {
        String p = path;
        while (p.endsWith("/") && p.length() > 1) {
            p = p.substring(0, p.length() - 1);
        }
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a leftover partial directory is only garbage: its name never looks finished
                }
            });
        } catch (IOException e) {
            // as above
        }
    }

    @Override
    public String toString() {
        return "StoredCode[" + root + "]";
    }
}
