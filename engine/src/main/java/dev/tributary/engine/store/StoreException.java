package dev.tributary.engine.store;

/** The database failed or refused an operation; the message names the operation. */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
