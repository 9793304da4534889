package dev.tributary.functions.worker;

/** How a worker process came to be; what a cold start cost depends on it. */
public enum WorkerOrigin {
    /** A new interpreter started from its binary. */
    FRESH,
    /** Forked from the runtime's zygote, which had the bootstrap loaded; the worker imported the function's code. */
    RUNTIME_ZYGOTE,
    /** Forked from the function's own zygote, which had the function's code imported already. */
    FUNCTION_ZYGOTE,
    /** A node process started ahead of need that then loaded the function's code. */
    SPARE
}
