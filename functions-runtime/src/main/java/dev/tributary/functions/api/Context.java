package dev.tributary.functions.api;

/** Facts about one activation, handed to a Java function together with its input. */
public interface Context {

    /** The function's name, e.g. {@code payments.charge}. */
    String functionName();

    /** The activation's id, as shown by {@code GET /api/v1/activations/{id}}. */
    String activationId();

    /**
     * Stable across retries of the same attempt after a crash: {@code <runId>/<step path>/<attempt>},
     * or the activation id for a direct invocation. Use it to deduplicate side effects.
     */
    String idempotencyKey();

    /** Which attempt this is, counted from 1. */
    int attempt();

    /** Milliseconds left before the activation times out. */
    long remainingTimeMillis();

    /**
     * Appends {@code message} and a line break to this activation's log (kept up to 64 KiB, then
     * cut and marked). A Java function shares the server's {@code System.out} and {@code System.err}
     * with every other activation, so what it prints there is not its log: write the log here.
     */
    void log(String message);
}
