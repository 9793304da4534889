package dev.tributary.dsl.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string into literal text and {@code ${ ... }} expressions. {@code $${} is a literal {@code ${}. The
 * closing brace is found with JEXL's lexical rules in mind: braces nest ({@code ${ {'a': 1}.a }}) and braces or
 * quotes inside string literals ({@code '...'}, {@code "..."}, {@code `...`}, with backslash escapes) and regex
 * literals ({@code ~/.../}) do not count.
 */
final class TemplateScanner {

    /** A piece of a scanned string. */
    sealed interface Segment permits Literal, Body {
    }

    /** Literal text, escapes already resolved. */
    record Literal(String text) implements Segment {
    }

    /**
     * An expression: {@code text} is what stands between {@code ${} and {@code }}, starting at {@code offset} in the
     * scanned string; {@code start} is the offset of the {@code $} and {@code end} one past the {@code }}.
     */
    record Body(String text, int offset, int start, int end) implements Segment {
    }

    /** The segments of a string, and whether it had any {@code $${} escape. */
    record Scan(List<Segment> segments, boolean escaped) {

        boolean hasExpressions() {
            return segments.stream().anyMatch(Body.class::isInstance);
        }
    }

    private TemplateScanner() {
    }

    /** Whether {@code text} holds an unescaped {@code ${}. */
    static boolean containsExpression(String text) {
        if (text == null) {
            return false;
        }
        for (int i = text.indexOf('$'); i >= 0 && i + 1 < text.length(); i = text.indexOf('$', i + 1)) {
            if (text.startsWith("$${", i)) {
                i += 2;
            } else if (text.charAt(i + 1) == '{') {
                return true;
            }
        }
        return false;
    }

    static Scan scan(String text) throws ExpressionSyntaxException {
        List<Segment> segments = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        boolean escaped = false;
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                literal.append("${");
                escaped = true;
                i += 3;
            } else if (text.startsWith("${", i)) {
                int close = closingBrace(text, i + 2);
                if (close < 0) {
                    throw new ExpressionSyntaxException("unclosed ${ ... }", i, text);
                }
                if (literal.length() > 0) {
                    segments.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                segments.add(new Body(text.substring(i + 2, close), i + 2, i, close + 1));
                i = close + 1;
            } else {
                literal.append(text.charAt(i));
                i++;
            }
        }
        if (literal.length() > 0) {
            segments.add(new Literal(literal.toString()));
        }
        return new Scan(List.copyOf(segments), escaped);
    }

    /** The offset of the brace closing an expression whose text starts at {@code from}, or -1. */
    private static int closingBrace(String text, int from) {
        int depth = 0;
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = endOfQuoted(text, i + 1, c);
            } else if (c == '~' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                i = endOfQuoted(text, i + 2, '/');
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
            if (i < 0) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    /** The offset of the unescaped {@code quote} ending a literal whose content starts at {@code from}, or -1. */
    private static int endOfQuoted(String text, int from, char quote) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The offset of the first backtick outside string and regex literals in an expression's text, or -1. JEXL's
     * backtick templates are not allowed: they build text without the size checks {@code +} has.
     */
    static int backtick(String source) {
        int i = 0;
        while (i >= 0 && i < source.length()) {
            char c = source.charAt(i);
            if (c == '`') {
                return i;
            }
            if (c == '\'' || c == '"') {
                i = endOfQuoted(source, i + 1, c);
            } else if (c == '~' && i + 1 < source.length() && source.charAt(i + 1) == '/') {
                i = endOfQuoted(source, i + 2, '/');
            }
            if (i >= 0) {
                i++;
            }
        }
        return -1;
    }
}
