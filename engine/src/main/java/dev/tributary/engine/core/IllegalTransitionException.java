package dev.tributary.engine.core;

/** A run or step was asked to change status in a way the transition tables do not allow: a bug, never user input. */
public final class IllegalTransitionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public IllegalTransitionException(String message) {
        super(message);
    }
}
