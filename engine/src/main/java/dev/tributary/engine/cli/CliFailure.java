package dev.tributary.engine.cli;

/**
 * A command that cannot go on, with the one line the user sees after {@code trib: } (the
 * handler in {@link Main} prints it and exits non-zero).
 */
final class CliFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CliFailure(String message) {
        super(message, null, false, false);
    }
}
