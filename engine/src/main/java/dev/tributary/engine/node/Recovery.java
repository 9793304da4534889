package dev.tributary.engine.node;

import dev.tributary.engine.store.RunStore;
import dev.tributary.engine.store.Task;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does on start so that nothing accepted before a stop is lost: dispatch every task
 * still in the outbox again (functions run at least once; a transition consumes an answer once),
 * arm the timers (overdue ones fire at once) and route the events accepted but not routed (in the
 * background, and again every half minute for events a failure left unrouted).
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final RunStore store;
    private final Dispatcher dispatcher;
    private final TimerService timers;
    private final EventRouter router;

    Recovery(RunStore store, Dispatcher dispatcher, TimerService timers, EventRouter router) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.timers = timers;
        this.router = router;
    }

    void run() {
        List<Task> tasks = store.dispatchableTasks();
        tasks.forEach(dispatcher::dispatch);
        timers.start();
        // in the background: a rule's function (or its event.emit) may need the started node; with manual timers a test
        // sweeps when it wants to (Node.sweepUnrouted)
        router.startSweeping(timers.mode() == TimerService.Mode.AUTOMATIC);
        if (!tasks.isEmpty()) {
            LOG.info("Recovery dispatched {} unfinished tasks again", tasks.size());
        }
    }
}
