package dev.tributary.functions.process;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A process function's {@code handler}, split into words the way a shell splits a simple command,
 * and nothing more: words are separated by blanks; {@code '...'} keeps everything inside as is;
 * {@code "..."} keeps everything inside except that {@code \"} and {@code \\} stand for {@code "}
 * and {@code \}; outside quotes a backslash keeps the next character as is; quoted and unquoted
 * parts next to each other make one word. There are no shell features: {@code $VAR}, globs,
 * pipes, redirections and {@code ;} are ordinary characters (write {@code sh -c '...'} for those).
 */
public record CommandLine(List<String> words) {

    public CommandLine {
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("Expected a command line with at least one word, but it is blank");
        }
    }

    /**
     * @throws IllegalArgumentException for a blank line or an unclosed quote, saying where
     */
    public static CommandLine parse(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int close = line.indexOf('\'', i + 1);
                if (close < 0) {
                    throw unclosed('\'', i, line);
                }
                word.append(line, i + 1, close);
                inWord = true;
                i = close + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i, word);
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return new CommandLine(words);
    }

    /** Appends the inside of the double-quoted part opening at {@code open}; returns the index after its closing quote. */
    private static int doubleQuoted(String line, int open, StringBuilder word) {
        int i = open + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw unclosed('"', open, line);
    }

    private static IllegalArgumentException unclosed(char quote, int at, String line) {
        return new IllegalArgumentException("Expected a closing " + quote + " for the one at column " + (at + 1)
                + " of the command line [" + line + "], but the line ends first");
    }

    /**
     * The words with paths into the code directory made absolute, since the process runs in a
     * scratch directory of its own: a first word with a slash ({@code ./run.sh}, {@code bin/tool})
     * resolves against {@code codeDirectory} (a bare first word is looked up on {@code PATH},
     * where the code directory comes first); any later word that is a relative path naming
     * something inside the code directory ({@code handler.py}, {@code data/rates.json}) becomes
     * its absolute path. Options ({@code -x}) and words naming nothing there are left alone.
     */
    public List<String> resolvedAgainst(Path codeDirectory) {
        if (codeDirectory == null) {
            return words;
        }
        Path root = codeDirectory.toAbsolutePath().normalize();
        List<String> resolved = new ArrayList<>(words.size());
        String program = words.get(0);
        resolved.add(program.contains("/") && !program.startsWith("/") ? root.resolve(program).normalize().toString() : program);
        for (String word : words.subList(1, words.size())) {
            resolved.add(insideCode(root, word) ? root.resolve(word).normalize().toString() : word);
        }
        return resolved;
    }

    private static boolean insideCode(Path root, String word) {
        if (word.isEmpty() || word.startsWith("/") || word.startsWith("-") || word.indexOf('\0') >= 0) {
            return false;
        }
        try {
            Path candidate = root.resolve(word).normalize();
            return candidate.startsWith(root) && !candidate.equals(root) && Files.exists(candidate);
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
