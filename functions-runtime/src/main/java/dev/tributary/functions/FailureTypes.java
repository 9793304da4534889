package dev.tributary.functions;

/** The built-in error types a function activation can fail with (SPEC §2.4). */
public final class FailureTypes {

    public static final String TIMEOUT = "Timeout";
    public static final String FUNCTION_ERROR = "FunctionError";
    public static final String EXPRESSION_ERROR = "ExpressionError";
    public static final String LIMIT_EXCEEDED = "LimitExceeded";
    public static final String INPUT_INVALID = "InputInvalid";
    public static final String UNAVAILABLE = "Unavailable";

    private FailureTypes() {
    }
}
