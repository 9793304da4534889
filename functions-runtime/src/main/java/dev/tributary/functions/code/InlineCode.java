package dev.tributary.functions.code;

import dev.tributary.dsl.model.FunctionDef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes inline {@code source:} code to {@code <root>/inline-<sha256>/function.py} (or
 * {@code .js}) once, content-addressed, so every worker of every version with that source shares
 * one file and a changed source is a new directory.
 */
public final class InlineCode {

    public static final String MODULE = "function";

    private final Path root;

    public InlineCode(Path root) {
        this.root = root;
    }

    public LocatedCode locate(FunctionDef function) {
        String source = function.code().inline();
        if (source == null) {
            throw new IllegalArgumentException("Expected function '" + function.name() + "' to have inline source, but it has none");
        }
        String extension = function.runtime() == FunctionDef.Runtime.NODE ? ".js" : ".py";
        Path directory = root.resolve("inline-" + sha256(source + extension));
        Path file = directory.resolve(MODULE + extension);
        if (!Files.exists(file)) {
            try {
                Files.createDirectories(directory);
                Path partial = Files.createTempFile(directory, MODULE, ".partial");
                Files.writeString(partial, source, StandardCharsets.UTF_8);
                try {
                    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new CodeUnavailableException("Expected to write the inline source of function '" + function.name()
                        + "' to " + file + ", but " + e.getMessage(), e);
            }
        }
        return new LocatedCode(directory, MODULE);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Expected every JVM to have SHA-256", e);
        }
    }
}
