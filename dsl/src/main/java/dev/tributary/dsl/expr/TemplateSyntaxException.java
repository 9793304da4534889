package dev.tributary.dsl.expr;

/**
 * A syntax error inside a JSON tree given to {@link Expressions#template(com.fasterxml.jackson.databind.JsonNode)}:
 * {@link #path()} says which string value, {@link #offset()} where inside it.
 */
public final class TemplateSyntaxException extends ExpressionSyntaxException {

    private static final long serialVersionUID = 1L;

    private final String path;

    TemplateSyntaxException(String path, ExpressionSyntaxException error) {
        super(error.detail(), error.offset(), error.text());
        this.path = path;
    }

    /**
     * The path of the string value inside the given tree, e.g. {@code a.b[2].c}; {@code ""} for the root. A key that
     * is not a plain name is written {@code ["key"]} with JSON string escapes.
     */
    public String path() {
        return path;
    }

    @Override
    public String getMessage() {
        return path.isEmpty() ? super.getMessage() : path + ": " + super.getMessage();
    }
}
