package dev.tributary.connectors;

/** A message or record over its size limit (SPEC §4: 1 MiB); the API answers 413, a function fails with LimitExceeded. */
public final class PayloadTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
