package dev.tributary.functions.code;

/** A function's code could not be made ready on this node (missing from the store, unreadable archive, full disk). */
public final class CodeUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CodeUnavailableException(String message) {
        super(message);
    }

    public CodeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
