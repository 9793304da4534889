package dev.tributary.functions.code;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Function code in the form it is uploaded, stored and addressed in: one archive whose SHA-256 is
 * its address. Packing is deterministic — same content, same bytes, same digest — so an unchanged
 * function deploys as the same version however often its files are touched.
 * <ul>
 * <li>a single file: a zip holding that one file under its name;</li>
 * <li>a directory: a zip of its files and directories, entries sorted by their relative
 * {@code /}-separated names, every timestamp 1980-01-01 00:00, no modes or owners;</li>
 * <li>a {@code .zip} or {@code .jar}: its bytes as they are.</li>
 * </ul>
 * Symbolic links inside a directory are followed while their target stays inside it (a link to a
 * file is stored as a copy of the file, a link to a directory as its contents); a link that leads
 * outside the directory, dangles or loops is refused, as are sockets, pipes and devices.
 *
 * @param kind   {@link Kind#JAR} for a {@code .jar} (kept whole), else {@link Kind#ZIP} (unpacked)
 * @param bytes  the archive
 * @param sha256 the archive's SHA-256, 64 lowercase hex digits
 */
public record CodeArchive(Kind kind, byte[] bytes, String sha256) {

    /** The DOS epoch: the earliest time a zip entry can carry, the same for every entry. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    /** How the code is kept on a node: unpacked into a directory, or as one jar. */
    public enum Kind {
        ZIP, JAR;

        /** {@link #JAR} for a path ending in {@code .jar}, any case; else {@link #ZIP}. */
        public static Kind of(String path) {
            return path.toLowerCase(Locale.ROOT).endsWith(".jar") ? JAR : ZIP;
        }
    }

    public CodeArchive {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** Whether the code at {@code path} is sent as it is: a {@code .zip} or {@code .jar} file. */
    public static boolean isArchivePath(String path) {
        String lower = trimSlashes(path).toLowerCase(Locale.ROOT);
        return lower.endsWith(".zip") || lower.endsWith(".jar");
    }

    /**
     * Packs the code at {@code path}: a file, a directory, or a {@code .zip}/{@code .jar} file.
     *
     * @throws NoSuchFileException when nothing is at {@code path}
     * @throws IOException         when it cannot be read, breaks a rule above or {@link ArchiveLimits#DEFAULTS}
     */
    public static CodeArchive pack(Path path) throws IOException {
        return pack(path, ArchiveLimits.DEFAULTS);
    }

    public static CodeArchive pack(Path path, ArchiveLimits limits) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (Files.isDirectory(path)) {
            return ofDirectory(path, limits);
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException("Expected " + path + " to be a file or a directory, but it is neither");
        }
        String name = path.getFileName().toString();
        byte[] content = Files.readAllBytes(path);
        if (isArchivePath(name)) {
            return ofArchive(name, content, limits);
        }
        return ofFile(name, content);
    }

    /** One file, under {@code name}, in the deterministic single-file zip. */
    public static CodeArchive ofFile(String name, byte[] content) {
        TreeMap<String, byte[]> entries = new TreeMap<>();
        entries.put(name, content);
        return zip(Kind.ZIP, entries);
    }

    /**
     * A {@code .zip} or {@code .jar} as it is, checked to be one.
     *
     * @param name the file's name; its extension decides the kind
     */
    public static CodeArchive ofArchive(String name, byte[] bytes, ArchiveLimits limits) throws IOException {
        Kind kind = Kind.of(name);
        try {
            if (kind == Kind.JAR) {
                ArchiveUnpacker.verifyJar(bytes);
            } else {
                ArchiveUnpacker.verify(bytes, limits);
            }
        } catch (IOException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        return new CodeArchive(kind, bytes, sha256(bytes));
    }

    private static CodeArchive ofDirectory(Path directory, ArchiveLimits limits) throws IOException {
        Path root = directory.toRealPath();
        TreeMap<String, byte[]> entries = new TreeMap<>();
        long[] bytes = {0};
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root)) {
                    staysInside(root, dir, directory);
                    add(entries, relative(root, dir) + "/", null, limits);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                staysInside(root, file, directory);
                if (!attrs.isRegularFile()) {
                    throw new IOException("Expected only files and directories in " + directory + ", but "
                            + relative(root, file) + " is neither (a socket, pipe or device)");
                }
                byte[] content = Files.readAllBytes(file);
                bytes[0] += content.length;
                if (bytes[0] > limits.maxUnpackedBytes()) {
                    throw new IOException("Expected the files of " + directory + " to total at most " + limits.maxUnpackedBytes()
                            + " bytes (limit 'unpacked code'), but they are larger");
                }
                add(entries, relative(root, file), content, limits);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof FileSystemLoopException) {
                    throw new IOException("Expected the symbolic links in " + directory + " to lead somewhere, but "
                            + relative(root, file) + " leads back into a directory that contains it", e);
                }
                throw e;
            }
        });
        if (entries.isEmpty()) {
            throw new IOException("Expected function code in " + directory + ", but the directory is empty");
        }
        // a directory called lib.jar is an exploded jar: kept whole, like the file it stands for
        return zip(Kind.of(directory.getFileName() == null ? "" : directory.getFileName().toString()), entries);
    }

    private static void add(TreeMap<String, byte[]> entries, String name, byte[] content, ArchiveLimits limits)
            throws IOException {
        if (entries.size() >= limits.maxEntries()) {
            throw new IOException("Expected at most " + limits.maxEntries() + " files and directories of code (limit "
                    + "'archive entries'), but there are more");
        }
        entries.put(name, content);
    }

    /** A symbolic link is followed only while its target stays inside the directory being packed. */
    private static void staysInside(Path root, Path path, Path directory) throws IOException {
        if (!Files.isSymbolicLink(path)) {
            return;
        }
        Path target;
        try {
            target = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException("Expected the symbolic link " + relative(root, path) + " in " + directory
                    + " to point at a file, but its target " + Files.readSymbolicLink(path) + " does not exist", e);
        }
        if (!target.startsWith(root)) {
            throw new IOException("Expected the symbolic link " + relative(root, path) + " in " + directory
                    + " to stay inside it, but it points to " + target + "; copy what it points to into the directory");
        }
    }

    private static String relative(Path root, Path path) {
        List<String> parts = new ArrayList<>();
        root.relativize(path).forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    /** {@code entries} by name (a directory's name ends in '/' and has null content), in name order. */
    private static CodeArchive zip(Kind kind, TreeMap<String, byte[]> entries) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buffer)) {
            for (var e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(entry);
                if (e.getValue() != null) {
                    zip.write(e.getValue());
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException("Expected to write a zip in memory, but " + e.getMessage(), e);
        }
        byte[] bytes = buffer.toByteArray();
        return new CodeArchive(kind, bytes, sha256(bytes));
    }

    /** SHA-256 as 64 lowercase hex digits. */
    public static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Expected every JVM to have SHA-256", e);
        }
    }

    private static String trimSlashes(String path) {
        String p = path;
        while (p.endsWith("/") && p.length() > 1) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** Equal archives have equal kinds and bytes (a record would compare the arrays by identity). */
    @Override
    public boolean equals(Object other) {
        return other instanceof CodeArchive a && a.kind == kind && a.sha256.equals(sha256) && Arrays.equals(a.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }

    @Override
    public String toString() {
        return "CodeArchive[" + kind + ", " + bytes.length + " bytes, sha256 " + sha256 + "]";
    }
}
