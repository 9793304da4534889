package dev.tributary.dsl.expr;

/**
 * An expression or template that does not compile. Reported at deploy time with where it is.
 */
public class ExpressionSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int offset;
    private final String detail;
    private final String text;

    ExpressionSyntaxException(String detail, int offset, String text) {
        super(detail + " at offset " + offset + " in '" + text + "'");
        this.detail = detail;
        this.offset = offset;
        this.text = text;
    }

    /**
     * 0-based character offset of the error within the string given to {@code compile()} or {@code template(String)}
     * (for a template: into the whole string, including {@code ${}).
     */
    public int offset() {
        return offset;
    }

    /** A short human message, e.g. {@code syntax error near ')'} or {@code unclosed ${ ... }}. */
    public String detail() {
        return detail;
    }

    /** The string the offset points into. */
    public String text() {
        return text;
    }

    /** The same error, moved {@code by} characters to the right inside {@code outer}. */
    ExpressionSyntaxException shifted(int by, String outer) {
        return new ExpressionSyntaxException(detail, offset + by, outer);
    }
}
