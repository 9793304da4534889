package dev.tributary.connectors.schedule;

import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.dsl.model.TriggerSource.Cron;
import dev.tributary.dsl.model.TriggerSource.Every;
import dev.tributary.dsl.model.TriggerSource.Misfire;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * When {@code cron} and {@code every} triggers fire (SPEC §2.5): the next fire times after an
 * instant, and the slots to catch up on after downtime. Pure: every instant comes in as an
 * argument.
 *
 * <ul>
 * <li>{@code cron}: Quartz's {@link CronExpression} in the trigger's time zone, so {@code L},
 * {@code W}, {@code #} and daylight-saving changes follow Quartz (a 02:30 Europe/Berlin cron does
 * not fire on the spring-forward day and fires once on the fall-back day).</li>
 * <li>{@code every}: anchored at the epoch (1970-01-01T00:00:00Z): the slots are the whole
 * multiples of the interval since then, so {@code every: 5m} fires at :00, :05, ... UTC, every
 * node computes the same slots, and a restart does not shift them. An interval that does not
 * divide a day drifts through the day (7m: 00:00, ..., 23:55, then 00:02 the next day).</li>
 * </ul>
 */
public final class FireTimes {

    /** The most slots a {@code run-all} catch-up hands over: the newest ones are kept. */
    public static final int MAX_CATCH_UP = 100;

    private static final Duration FIRST_WINDOW = Duration.ofMinutes(1);

    private FireTimes() {
    }

    /** The next {@code count} fire times strictly after {@code after}; fewer if the cron ends (a year field). */
    public static List<Instant> next(TriggerSource source, Instant after, int count) {
        List<Instant> times = new ArrayList<>(count);
        if (source instanceof Every every) {
            long interval = intervalMillis(every);
            long k = Math.floorDiv(after.toEpochMilli(), interval) + 1;
            for (int i = 0; i < count; i++) {
                times.add(Instant.ofEpochMilli((k + i) * interval));
            }
            return times;
        }
        CronExpression cron = cronExpression(cron(source));
        Date t = Date.from(after);
        while (times.size() < count && (t = cron.getTimeAfter(t)) != null) {
            times.add(t.toInstant());
        }
        return times;
    }

    /**
     * The slots in {@code (lastFired, now]} to hand over after downtime, oldest first, by the
     * trigger's misfire policy: {@code run-once} the newest only, {@code skip} none,
     * {@code run-all} each one (at most {@link #MAX_CATCH_UP}, the newest).
     */
    public static List<Instant> catchUp(TriggerSource source, Instant lastFired, Instant now) {
        return switch (misfire(source)) {
            case SKIP -> List.of();
            case RUN_ONCE -> newest(source, lastFired, now, 1);
            case RUN_ALL -> newest(source, lastFired, now, MAX_CATCH_UP);
        };
    }

    /** A cron trigger's misfire policy; {@code every} has none in the DSL and catches up like {@code run-once}. */
    public static Misfire misfire(TriggerSource source) {
        return source instanceof Cron cron ? cron.misfire() : Misfire.RUN_ONCE;
    }

    /** The newest {@code limit} slots in {@code (after, until]}, oldest first. */
    static List<Instant> newest(TriggerSource source, Instant after, Instant until, int limit) {
        if (!until.isAfter(after)) {
            return List.of();
        }
        if (source instanceof Every every) {
            long interval = intervalMillis(every);
            long first = Math.floorDiv(after.toEpochMilli(), interval) + 1;
            long last = Math.floorDiv(until.toEpochMilli(), interval);
            List<Instant> slots = new ArrayList<>();
            for (long k = Math.max(first, last - limit + 1); k <= last; k++) {
                slots.add(Instant.ofEpochMilli(k * interval));
            }
            return slots;
        }
        // Quartz cannot step backwards: look forward through a window ending at `until`, doubled
        // until it holds `limit` slots or reaches `after`, so a long downtime is not walked slot by slot.
        CronExpression cron = cronExpression(cron(source));
        Duration window = FIRST_WINDOW;
        while (true) {
            Instant from = until.minus(window).isAfter(after) ? until.minus(window) : after;
            ArrayDeque<Instant> slots = new ArrayDeque<>(limit);
            Date t = Date.from(from);
            while ((t = cron.getTimeAfter(t)) != null && !t.toInstant().isAfter(until)) {
                if (slots.size() == limit) {
                    slots.removeFirst();
                }
                slots.addLast(t.toInstant());
            }
            if (slots.size() == limit || from.equals(after)) {
                return List.copyOf(slots);
            }
            window = window.multipliedBy(2);
        }
    }

    /** The parsed expression in the trigger's zone; throws {@link IllegalArgumentException} naming what is wrong. */
    static CronExpression cronExpression(Cron cron) {
        try {
            CronExpression expression = new CronExpression(cron.expression());
            expression.setTimeZone(TimeZone.getTimeZone(cron.zone()));
            return expression;
        } catch (ParseException e) {
            throw new IllegalArgumentException("Expected a Quartz cron expression, but '" + cron.expression() + "' is not: "
                    + e.getMessage(), e);
        }
    }

    static long intervalMillis(Every every) {
        long millis = every.interval().toMillis();
        if (millis < 1) {
            throw new IllegalArgumentException("Expected an every: interval of at least 1ms, but got " + every.interval());
        }
        return millis;
    }

    private static Cron cron(TriggerSource source) {
        if (source instanceof Cron cron) {
            return cron;
        }
        throw new IllegalArgumentException("Expected a cron or every trigger source, but got " + source.kind());
    }
}
