package dev.tributary.connectors.schedule;

import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.dsl.model.TriggerSource.Cron;
import dev.tributary.dsl.model.TriggerSource.Every;
import dev.tributary.dsl.model.TriggerSource.Misfire;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/**
 * How a cron or every trigger is kept in Quartz: one job and one trigger named after it in group
 * {@code tributary}, the source written into the trigger's data as strings (so {@code sync} can
 * tell a changed definition, and a recovered firing on another node still knows what it fires).
 *
 * <p>Quartz's own misfire handling is told to skip missed slots ({@code DO_NOTHING}, next with
 * remaining count): {@link Schedules} hands the missed slots over itself, by the trigger's policy.
 */
final class QuartzTriggers {

    static final String GROUP = "tributary";

    private static final String TRIGGER = "trigger";
    private static final String KIND = "kind";
    private static final String EXPRESSION = "expression";
    private static final String ZONE = "zone";
    private static final String MISFIRE = "misfire";
    private static final String INTERVAL = "interval";

    private QuartzTriggers() {
    }

    static boolean isScheduled(TriggerSource source) {
        return source instanceof Cron || source instanceof Every;
    }

    static JobKey jobKey(String trigger) {
        return JobKey.jobKey(trigger, GROUP);
    }

    static TriggerKey triggerKey(String trigger) {
        return TriggerKey.triggerKey(trigger, GROUP);
    }

    /**
     * Recovery requested: if the node dies while a firing is being handed over, another node (or
     * this one, restarted) fires it again with its original scheduled time.
     */
    static JobDetail job(String trigger) {
        return JobBuilder.newJob(FiringJob.class).withIdentity(jobKey(trigger)).requestRecovery().build();
    }

    /** The Quartz trigger firing {@code source}'s slots after {@code now}. */
    static Trigger trigger(String trigger, TriggerSource source, Instant now) {
        JobDataMap data = new JobDataMap();
        data.put(TRIGGER, trigger);
        data.put(KIND, source.kind());
        TriggerBuilder<Trigger> builder = TriggerBuilder.newTrigger().withIdentity(triggerKey(trigger)).forJob(jobKey(trigger));
        if (source instanceof Cron cron) {
            data.put(EXPRESSION, cron.expression());
            data.put(ZONE, cron.zone().getId());
            data.put(MISFIRE, cron.misfire().name());
            return builder.usingJobData(data).startAt(Date.from(now))
                    .withSchedule(CronScheduleBuilder.cronSchedule(FireTimes.cronExpression(cron))
                            .inTimeZone(TimeZone.getTimeZone(cron.zone()))
                            .withMisfireHandlingInstructionDoNothing())
                    .build();
        }
        Every every = (Every) source;
        data.put(INTERVAL, every.interval().toString());
        // the first slot after now: Quartz adds whole intervals to it, so every slot stays on the epoch grid
        return builder.usingJobData(data).startAt(Date.from(FireTimes.next(every, now, 1).get(0)))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(FireTimes.intervalMillis(every))
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
    }

    static String name(JobDataMap data) {
        return data.getString(TRIGGER);
    }

    /** The source a trigger's data describes. */
    static TriggerSource source(JobDataMap data) {
        String kind = data.getString(KIND);
        if ("cron".equals(kind)) {
            return new Cron(data.getString(EXPRESSION), ZoneId.of(data.getString(ZONE)), Misfire.valueOf(data.getString(MISFIRE)));
        }
        if ("every".equals(kind)) {
            return new Every(Duration.parse(data.getString(INTERVAL)));
        }
        throw new IllegalStateException("Expected a Quartz trigger of kind cron or every, but trigger '" + name(data)
                + "' has kind " + kind);
    }
}
