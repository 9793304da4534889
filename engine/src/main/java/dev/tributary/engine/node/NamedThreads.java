package dev.tributary.engine.node;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories that name their threads, so a thread dump says which part of the node is busy. */
final class NamedThreads {

    private NamedThreads() {
    }

    /** Threads named {@code name} (one thread) or {@code name-N}. */
    static ThreadFactory of(String name) {
        return factory(name, false);
    }

    /** The same, for threads that must not keep the JVM alive. */
    static ThreadFactory daemon(String name) {
        return factory(name, true);
    }

    private static ThreadFactory factory(String name, boolean daemon) {
        AtomicInteger count = new AtomicInteger();
        return work -> {
            int n = count.getAndIncrement();
            Thread thread = new Thread(work, n == 0 ? name : name + "-" + n);
            thread.setDaemon(daemon);
            return thread;
        };
    }
}
