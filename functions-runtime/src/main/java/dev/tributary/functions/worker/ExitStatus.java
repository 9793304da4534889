package dev.tributary.functions.worker;

/** How a worker process ended: an exit code, or the signal that killed it. */
record ExitStatus(Integer code, Integer signal) {

    static final ExitStatus UNKNOWN = new ExitStatus(null, null);

    static ExitStatus exited(int code) {
        return new ExitStatus(code, null);
    }

    static ExitStatus killed(int signal) {
        return new ExitStatus(null, signal);
    }

    /** The JDK reports a process killed by signal n as exit value 128 + n. */
    static ExitStatus ofJdkExitValue(int value) {
        return value > 128 && value < 128 + 65 ? killed(value - 128) : exited(value);
    }

    String describe() {
        if (signal != null) {
            return "killed by signal " + signal + (signal == 9 ? " (SIGKILL)" : signal == 15 ? " (SIGTERM)" : "");
        }
        return code != null ? "exit code " + code : "exit status unknown";
    }
}
