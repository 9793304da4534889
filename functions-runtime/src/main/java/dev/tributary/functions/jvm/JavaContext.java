package dev.tributary.functions.jvm;

import dev.tributary.functions.ActivationLogs;
import dev.tributary.functions.Invocation;
import dev.tributary.functions.api.Context;

/** The {@link Context} of one Java activation; its log takes lines from any thread until the activation ends. */
final class JavaContext implements Context {

    private final Invocation invocation;
    private final long deadlineNanos;
    private final ActivationLogs logs = new ActivationLogs();
    private boolean ended;

    JavaContext(Invocation invocation, long deadlineNanos) {
        this.invocation = invocation;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public String functionName() {
        return invocation.function().name();
    }

    @Override
    public String activationId() {
        return invocation.activationId();
    }

    @Override
    public String idempotencyKey() {
        return invocation.idempotencyKey();
    }

    @Override
    public int attempt() {
        return invocation.attempt();
    }

    @Override
    public long remainingTimeMillis() {
        return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    @Override
    public synchronized void log(String message) {
        if (!ended) {
            logs.append(String.valueOf(message));
            logs.append("\n");
        }
    }

    /** The log as it stands; later lines (from threads the handler left running) are dropped. */
    synchronized String end() {
        ended = true;
        return logs.toString();
    }
}
