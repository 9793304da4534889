package dev.tributary.engine.store;

/** A commit's compare-and-set missed: another writer changed the run first (a stale owner is fenced off). */
public final class ConcurrentUpdateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConcurrentUpdateException(String message) {
        super(message);
    }
}
