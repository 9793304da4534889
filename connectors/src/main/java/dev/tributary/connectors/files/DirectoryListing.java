package dev.tributary.connectors.files;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The regular files directly in a directory whose names match a glob (subdirectories are not
 * entered), with their sizes and last-modified times.
 */
final class DirectoryListing {

    private final Path dir;
    private final PathMatcher glob;

    DirectoryListing(Path dir, String glob) {
        this.dir = dir;
        this.glob = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }

    Path dir() {
        return dir;
    }

    /**
     * The matching files by name; empty when the directory does not exist or is not a directory
     * (which says nothing about its files, unlike an empty listing).
     *
     * @throws IOException when the directory exists but cannot be read
     */
    Optional<Map<String, FileState>> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Map<String, FileState> files = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Path name = entry.getFileName();
                if (!glob.matches(name)) {
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        files.put(name.toString(), new FileState(name.toString(), attributes.size(),
                                attributes.lastModifiedTime().toInstant()));
                    }
                } catch (NoSuchFileException e) {
                    // removed between listing and reading: the next listing sees it gone
                }
            }
        } catch (DirectoryIteratorException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return Optional.empty(); // removed while being listed
            }
            throw e.getCause();
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed just before being opened
        }
        return Optional.of(files);
    }
}
