package dev.tributary.functions.code;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a zip of function code entry by entry, refusing what could escape or exhaust the target:
 * absolute names, {@code ..} segments, backslashes, drive letters, duplicate names, more entries
 * or more unpacked bytes than {@link ArchiveLimits} allow. The bytes are counted as they inflate,
 * so a zip bomb stops at the limit. {@link #verify} walks the archive without writing (a deploy
 * refuses a bad archive up front); {@link #unpack} writes it.
 *
 * <p>Zip entries carry no symlinks here: the JDK's reader does not expose an entry's Unix mode,
 * so a symlink stored by {@code zip --symlinks} arrives as a small file holding its target's path,
 * never as a link. For the same reason modes are lost; unpacked files are made executable
 * ({@code rwxr-xr-x}) so a process function's {@code ./run.sh} runs.
 */
public final class ArchiveUnpacker {

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final int BUFFER = 64 * 1024;

    private ArchiveUnpacker() {
    }

    /**
     * Checks that {@code zip} is a readable zip within {@code limits} whose names are safe to unpack.
     *
     * @throws IOException saying what is wrong, naming the entry or the limit
     */
    public static void verify(byte[] zip, ArchiveLimits limits) throws IOException {
        walk(zip, limits, null);
    }

    /**
     * Checks that {@code jar} is a readable zip with at least one entry. A jar is loaded as it is,
     * never unpacked, so its entry names and count are the class loader's business.
     */
    public static void verifyJar(byte[] jar) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            if (in.getNextEntry() == null) {
                throw new IOException("Expected a jar (a zip archive with classes), but it holds no entries or is not a zip");
            }
        }
    }

    /**
     * Unpacks {@code zip} into {@code target}, an empty directory that exists.
     *
     * @throws IOException when the archive breaks a rule (nothing outside {@code target} is ever
     *                     written) or the disk refuses; {@code target} may then hold part of it
     */
    public static void unpack(byte[] zip, Path target, ArchiveLimits limits) throws IOException {
        walk(zip, limits, target.toAbsolutePath().normalize());
    }

    private static void walk(byte[] zip, ArchiveLimits limits, Path target) throws IOException {
        Set<String> names = new HashSet<>();
        long unpacked = 0;
        int entries = 0;
        byte[] buffer = new byte[BUFFER];
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new IOException("Expected at most " + limits.maxEntries() + " entries in the code archive (limit "
                            + "'archive entries'), but it has more");
                }
                String name = entry.getName();
                checkName(name);
                String key = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                if (!names.add(key)) {
                    throw new IOException("Expected each entry of the code archive once, but '" + name + "' appears twice");
                }
                Path destination = target == null ? null : inside(target, name);
                if (entry.isDirectory()) {
                    if (destination != null) {
                        Files.createDirectories(destination);
                    }
                    continue;
                }
                OutputStream out = destination == null ? OutputStream.nullOutputStream() : create(destination);
                try (out) {
                    unpacked = copy(in, out, buffer, unpacked, limits, name);
                }
            }
        } catch (RuntimeException e) {
            // ZipInputStream signals some corruptions unchecked (e.g. malformed names in the UTF-8 flag's charset)
            throw new IOException("Expected a readable zip archive, but " + e.getMessage(), e);
        }
        if (entries == 0) {
            throw new IOException("Expected a zip archive of function code, but it holds no entries or is not a zip");
        }
    }

    private static long copy(InputStream in, OutputStream out, byte[] buffer, long unpacked, ArchiveLimits limits, String name)
            throws IOException {
        long total = unpacked;
        int read;
        while ((read = in.read(buffer)) > 0) {
            total += read;
            if (total > limits.maxUnpackedBytes()) {
                throw new IOException("Expected the code archive to unpack to at most " + limits.maxUnpackedBytes()
                        + " bytes (limit 'unpacked code'), but it is larger by '" + name + "'");
            }
            out.write(buffer, 0, read);
        }
        return total;
    }

    private static void checkName(String name) throws IOException {
        if (name.isEmpty() || name.equals("/")) {
            throw new IOException("Expected every entry of the code archive to have a name, but one has none");
        }
        if (name.startsWith("/") || DRIVE.matcher(name).matches()) {
            throw new IOException("Expected relative entry names in the code archive, but '" + name + "' is absolute");
        }
        if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new IOException("Expected entry names separated by '/' in the code archive, but '" + name
                    + "' holds a backslash or NUL");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw new IOException("Expected entries to stay inside the code archive, but '" + name + "' climbs out with '..'");
            }
        }
    }

    private static Path inside(Path target, String name) throws IOException {
        Path destination = target.resolve(name).normalize();
        if (!destination.startsWith(target) || destination.equals(target)) {
            throw new IOException("Expected entries to stay inside the code archive, but '" + name + "' does not");
        }
        return destination;
    }

    private static OutputStream create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            executable(file);
            return out;
        } catch (FileAlreadyExistsException e) {
            throw new IOException("Expected each file of the code archive once, but '" + file.getFileName() + "' is there twice", e);
        }
    }

    private static void executable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to mark
        }
    }
}
