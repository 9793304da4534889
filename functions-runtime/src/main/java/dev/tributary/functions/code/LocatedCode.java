package dev.tributary.functions.code;

import java.nio.file.Path;

/**
 * A function's code on local disk, ready to run.
 *
 * @param directory     holds the code: the inline source as one file, a single uploaded file, the
 *                      contents of an uploaded directory or archive, or the uploaded jar
 * @param defaultModule what a handler without a module part refers to: {@code function} for
 *                      inline source ({@code function.py}, {@code function.js}), the file's name
 *                      without extension for a single file, {@code main} (python) or {@code index}
 *                      (node) for a directory or archive; null for a jar
 */
public record LocatedCode(Path directory, String defaultModule) {
}
