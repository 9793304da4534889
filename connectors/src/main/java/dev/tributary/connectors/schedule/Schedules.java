package dev.tributary.connectors.schedule;

import dev.tributary.connectors.EventSink;
import dev.tributary.dsl.model.TriggerDef;
import dev.tributary.dsl.model.TriggerSource;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.TriggerListener;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.PostgreSQLDelegate;
import org.quartz.impl.jdbcjobstore.StdJDBCDelegate;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@code cron} and {@code every} triggers (SPEC §2.5, §3), fired by Quartz from its
 * JDBC job store in the node's database. Each firing becomes one CloudEvent handed to the
 * {@link EventSink}, with id {@code <trigger>/<scheduledFor>}.
 *
 * <ul>
 * <li>Clustered, the nodes share Quartz's tables and its row locks, so each slot fires on one
 * node; a slot handed over twice anyway (a recovered firing, a catch-up racing a firing) has the
 * same event id and the inbox counts it once.</li>
 * <li>Missed slots (no node up, or a firing later than the misfire threshold) are not Quartz's
 * to fire: the slots after the last accepted one ({@code schedule_slots}) are handed over by the
 * trigger's policy ({@link FireTimes#catchUp}) at {@link #start()} and whenever Quartz reports a
 * misfire, each with its own {@code scheduledFor}.</li>
 * </ul>
 *
 * <p>Use: {@link #sync} with the deployed triggers, {@link #start()}, {@link #sync} again after
 * each deploy, {@link #close()}.
 */
public final class Schedules implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);
    /** One name for every node: Quartz's rows are keyed by it, and clustered nodes must share them. */
    private static final String SCHEDULER_NAME = "tributary";
    private static final int THREADS = 4;
    private static final long CLUSTER_CHECKIN_MILLIS = 5_000;
    private static final AtomicInteger DATA_SOURCES = new AtomicInteger();

    private final Scheduler scheduler;
    private final FiredSlots slots;
    private final SlotHandover handover;
    private final ScheduledExecutorService executor;
    private final Clock clock;

    public Schedules(ScheduleConfig config, EventSink sink, Clock clock) {
        this.clock = clock;
        this.slots = new FiredSlots(config.dataSource());
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, work -> {
            Thread thread = new Thread(work, "tributary-schedules");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // pending retries end with close()
        this.executor = executor;
        this.handover = new SlotHandover(sink, slots, clock, executor);
        try {
            this.scheduler = quartz(config);
            scheduler.setJobFactory((bundle, s) -> new FiringJob(handover));
            scheduler.getListenerManager().addTriggerListener(new MisfireCatchUp(), GroupMatcher.triggerGroupEquals(QuartzTriggers.GROUP));
        } catch (SchedulerException e) {
            executor.shutdownNow();
            throw new IllegalStateException("Expected to set up Quartz on node '" + config.nodeId() + "', but " + e.getMessage(), e);
        }
    }

    private static Scheduler quartz(ScheduleConfig config) throws SchedulerException {
        String dataSource = "tributary-" + DATA_SOURCES.incrementAndGet();
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new NodeConnections(config.dataSource()));
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, SCHEDULER_NAME);
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, config.nodeId());
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(THREADS));
        // slots due together are acquired and marked fired in one transaction, not one each
        p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", String.valueOf(THREADS));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "tributary-cron");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", JobStoreTX.class.getName());
        p.setProperty("org.quartz.jobStore.driverDelegateClass",
                (config.postgres() ? PostgreSQLDelegate.class : StdJDBCDelegate.class).getName());
        p.setProperty("org.quartz.jobStore.dataSource", dataSource);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.useProperties", "true"); // job data as strings, no Java serialization
        p.setProperty("org.quartz.jobStore.isClustered", String.valueOf(config.clustered()));
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(CLUSTER_CHECKIN_MILLIS));
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(config.misfireThreshold().toMillis()));
        // Quartz keeps one scheduler per name in a JVM-wide registry and would hand a second node in
        // the same JVM (tests) the first one's scheduler: take each new one out of the registry.
        synchronized (Schedules.class) {
            Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
            SchedulerRepository.getInstance().remove(SCHEDULER_NAME);
            return scheduler;
        }
    }

    /**
     * Makes Quartz's jobs the cron and every triggers among {@code triggers} (the others are
     * ignored): adds new ones, replaces changed ones (expression, zone, misfire, interval), removes
     * the rest. A trigger added or changed misses nothing before now. Unchanged ones are left as
     * they are, so calling this at every start with the same triggers changes nothing.
     *
     * @throws IllegalArgumentException naming the trigger whose cron expression or interval is
     *                                  not valid; nothing is changed then
     */
    public void sync(Collection<TriggerDef> triggers) {
        Instant now = clock.instant();
        Map<String, TriggerSource> wanted = new LinkedHashMap<>();
        Map<String, Trigger> quartzTriggers = new LinkedHashMap<>();
        for (TriggerDef trigger : triggers) {
            if (QuartzTriggers.isScheduled(trigger.source())) {
                wanted.put(trigger.name(), trigger.source());
                try {
                    quartzTriggers.put(trigger.name(), QuartzTriggers.trigger(trigger.name(), trigger.source(), now));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Trigger '" + trigger.name() + "': " + e.getMessage(), e);
                }
            }
        }
        try {
            Map<String, TriggerSource> current = scheduled();
            for (String name : current.keySet()) {
                if (!wanted.containsKey(name)) {
                    scheduler.deleteJob(QuartzTriggers.jobKey(name));
                    slots.forget(name);
                }
            }
            for (Map.Entry<String, TriggerSource> trigger : wanted.entrySet()) {
                String name = trigger.getKey();
                if (!trigger.getValue().equals(current.get(name))) {
                    slots.reset(name, now);
                    scheduler.scheduleJob(QuartzTriggers.job(name), Set.of(quartzTriggers.get(name)), true);
                }
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("Expected to sync Quartz's jobs with the deployed triggers, but " + e.getMessage(), e);
        }
    }

    /** The cron and every triggers Quartz holds, by name. */
    public Map<String, TriggerSource> scheduled() {
        try {
            Map<String, TriggerSource> scheduled = new TreeMap<>();
            for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(QuartzTriggers.GROUP))) {
                Trigger trigger = scheduler.getTrigger(key);
                if (trigger != null) { // removed meanwhile by another node's sync
                    scheduled.put(key.getName(), QuartzTriggers.source(trigger.getJobDataMap()));
                }
            }
            return scheduled;
        } catch (SchedulerException e) {
            throw new IllegalStateException("Expected to list Quartz's triggers, but " + e.getMessage(), e);
        }
    }

    /** Hands over what was missed while no node was up (by each trigger's policy), then starts firing. */
    public void start() {
        scheduled().forEach(this::catchUp);
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("Expected to start Quartz, but " + e.getMessage(), e);
        }
    }

    private void catchUp(String trigger, TriggerSource source) {
        Instant now = clock.instant();
        Optional<Instant> last = slots.last(trigger);
        if (last.isEmpty()) { // scheduled, but its row is gone (removed and re-added by two nodes' syncs)
            slots.reset(trigger, now);
            return;
        }
        for (Instant slot : FireTimes.catchUp(source, last.get(), now)) {
            handover.handOver(trigger, source, slot);
        }
    }

    /**
     * Stops firing; a firing being handed over is waited for (up to {@link FiringJob#ACCEPT_WAIT}),
     * retries still pending are dropped and left to the next start's catch-up. The data source stays open.
     */
    @Override
    public void close() {
        handover.close();
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            LOG.warn("Expected to shut Quartz down, but {}", e.getMessage());
        }
        // not shutdownNow: an interrupted JDBC call would close an H2 file database under the node
        executor.shutdown();
    }

    /** Quartz skips a missed slot (DO_NOTHING); this hands the missed slots over by the trigger's policy instead. */
    private final class MisfireCatchUp implements TriggerListener {

        @Override
        public String getName() {
            return "tributary-misfire-catch-up";
        }

        @Override
        public void triggerMisfired(Trigger trigger) {
            // called inside Quartz's transaction: catch up on our own thread
            String name = QuartzTriggers.name(trigger.getJobDataMap());
            TriggerSource source = QuartzTriggers.source(trigger.getJobDataMap());
            executor.execute(() -> {
                try {
                    catchUp(name, source);
                } catch (RuntimeException e) {
                    LOG.warn("Expected to catch up on trigger '{}' after a misfire, but {}", name, e.getMessage());
                }
            });
        }

        @Override
        public void triggerFired(Trigger trigger, JobExecutionContext context) {
        }

        @Override
        public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
            return false;
        }

        @Override
        public void triggerComplete(Trigger trigger, JobExecutionContext context, Trigger.CompletedExecutionInstruction instruction) {
        }
    }
}
