package dev.tributary.engine.cli;

import dev.tributary.dsl.load.SourceText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The definition files named on a command line ({@code validate}, {@code deploy}): files as given,
 * directories searched for {@code .yaml}, {@code .yml} and {@code .json} files in name order.
 */
final class DefinitionFiles {

    private DefinitionFiles() {
    }

    /** @throws Unreadable naming the file and why */
    static List<SourceText> read(List<Path> paths) {
        List<SourceText> files = new ArrayList<>();
        for (Path path : paths) {
            files.addAll(read(path));
        }
        return files;
    }

    static List<SourceText> read(Path path) {
        try {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    return walk.filter(Files::isRegularFile).filter(DefinitionFiles::isDefinition).sorted()
                            .map(DefinitionFiles::readFile).toList();
                }
            }
            return List.of(readFile(path));
        } catch (IOException e) {
            throw new Unreadable("cannot read " + path + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new Unreadable("cannot read " + path + ": " + e.getCause().getMessage());
        }
    }

    static boolean isJson(String name) {
        return name.toLowerCase().endsWith(".json");
    }

    private static SourceText readFile(Path file) {
        try {
            return new SourceText(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new Unreadable("cannot read " + file + ": no such file");
        } catch (MalformedInputException e) {
            throw new Unreadable("cannot read " + file + ": it is not UTF-8 text");
        } catch (IOException e) {
            throw new Unreadable("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static boolean isDefinition(Path p) {
        String name = p.getFileName().toString().toLowerCase();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    /** A file that could not be read; the message is the one line the user sees. */
    static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }
}
