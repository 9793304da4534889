package dev.tributary.engine.store;

/** A new run's idempotency key is already taken by another run of the same workflow. */
public final class DuplicateRunException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String existingRunId;

    public DuplicateRunException(String existingRunId) {
        super("a run with this idempotency key exists: " + existingRunId);
        this.existingRunId = existingRunId;
    }

    public String existingRunId() {
        return existingRunId;
    }
}
