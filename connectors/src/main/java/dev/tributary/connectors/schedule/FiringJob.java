package dev.tributary.connectors.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;

/**
 * One Quartz firing: hands the slot Quartz scheduled (also when a recovered firing runs it late)
 * to the event router, and waits a bounded time for it to be accepted. While it waits Quartz
 * holds the firing, so a node that dies meanwhile has it recovered; past the bound the handover
 * goes on in the background and the Quartz thread is free for other triggers.
 */
final class FiringJob implements Job {

    static final Duration ACCEPT_WAIT = Duration.ofSeconds(10);

    private final SlotHandover handover;

    FiringJob(SlotHandover handover) {
        this.handover = handover;
    }

    @Override
    public void execute(JobExecutionContext context) {
        JobDataMap data = context.getMergedJobDataMap();
        Instant slot = context.getScheduledFireTime().toInstant();
        CompletableFuture<Void> accepted = handover.handOver(QuartzTriggers.name(data), QuartzTriggers.source(data), slot);
        try {
            accepted.get(ACCEPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // still being retried, or the node is closing: either way no longer this thread's work
        }
    }
}
