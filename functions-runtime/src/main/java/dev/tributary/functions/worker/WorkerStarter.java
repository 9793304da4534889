package dev.tributary.functions.worker;

import java.util.Map;

/**
 * Starts the workers of one language, however that language does it fastest (fork from a zygote,
 * load into a spare, start an interpreter), and stops its helper processes once they are idle.
 */
interface WorkerStarter extends AutoCloseable {

    WorkerStart start(WorkerRequest request);

    /** A worker of {@code request} said hello; a starter may now prepare faster starts for that function. */
    default void workerReady(WorkerRequest request, Worker worker) {
    }

    /**
     * Periodic scale-to-zero of the starter's own processes (zygotes, spares), given what every
     * pool of the runtime is doing; a key that is absent has no pool any more.
     */
    void sweep(Map<PoolKey, PoolActivity> pools, long nowNanos);

    @Override
    void close();

    /**
     * @param liveWorkers    workers running or starting
     * @param idleSinceNanos when the pool last had no worker left ({@link System#nanoTime()}), meaningful when liveWorkers is 0
     */
    record PoolActivity(int liveWorkers, long idleSinceNanos, java.time.Duration keepWarm, int memoryMb) {

        boolean idleFor(long nowNanos) {
            return liveWorkers == 0 && nowNanos - idleSinceNanos >= keepWarm.toNanos();
        }
    }
}
