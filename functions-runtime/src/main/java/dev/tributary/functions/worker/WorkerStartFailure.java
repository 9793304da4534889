package dev.tributary.functions.worker;

/** A worker could not be started or could not load the function's code; the activation fails with this type and message. */
final class WorkerStartFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String type;
    private final String logs;

    WorkerStartFailure(String type, String message, String logs) {
        super(message, null, false, false);
        this.type = type;
        this.logs = logs == null ? "" : logs;
    }

    String type() {
        return type;
    }

    String logs() {
        return logs;
    }
}
