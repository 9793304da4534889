package dev.tributary.engine.schedule;

import static dev.tributary.engine.schedule.CollectingSink.firedAt;
import static dev.tributary.engine.schedule.CollectingSink.scheduledFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.schedule.FireTimes;
import dev.tributary.connectors.schedule.ScheduleConfig;
import dev.tributary.connectors.schedule.Schedules;
import dev.tributary.dsl.model.TriggerDef;
import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.dsl.model.TriggerSource.Cron;
import dev.tributary.dsl.model.TriggerSource.Every;
import dev.tributary.dsl.model.TriggerSource.Misfire;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.engine.store.StoreConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@link Schedules} must do on a real database: Quartz fires cron and every triggers from
 * its JDBC store into an {@link dev.tributary.connectors.EventSink}, keeps its jobs equal to the
 * deployed triggers, survives restarts, and hands over missed slots by each trigger's policy.
 * A backend's test says where the store lives.
 */
abstract class SchedulesContract {

    private static final Duration FIRST_FIRING = Duration.ofMillis(2500);
    private static final String[] TABLES = {"qrtz_fired_triggers", "qrtz_simple_triggers", "qrtz_cron_triggers",
            "qrtz_simprop_triggers", "qrtz_blob_triggers", "qrtz_triggers", "qrtz_job_details", "qrtz_locks",
            "qrtz_scheduler_state", "qrtz_paused_trigger_grps", "qrtz_calendars", "schedule_slots"};

    protected final CollectingSink sink = new CollectingSink();
    private final List<Schedules> opened = new ArrayList<>();
    private JdbcRunStore store;

    /** Where the store lives; the same for each call within one test. */
    protected abstract StoreConfig storeConfig();

    protected abstract boolean postgres();

    @BeforeEach
    void openStore() throws SQLException {
        store = JdbcRunStore.open(storeConfig());
        execute(List.of(TABLES).stream().map(table -> "DELETE FROM " + table).toArray(String[]::new));
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Schedules::close);
        store.close();
    }

    private Schedules schedules(String node, boolean clustered, Duration misfireThreshold) {
        Schedules schedules = new Schedules(
                ScheduleConfig.of(store.dataSource(), postgres(), node, clustered).withMisfireThreshold(misfireThreshold),
                sink, Clock.systemUTC());
        opened.add(schedules);
        return schedules;
    }

    private Schedules schedules() {
        return schedules("node-1", false, ScheduleConfig.DEFAULT_MISFIRE_THRESHOLD);
    }

    private void stop(Schedules schedules) {
        schedules.close();
        opened.remove(schedules);
    }

    private static TriggerDef cron(String name, String expression, Misfire misfire) {
        return new TriggerDef(name, null, new Cron(expression, ZoneOffset.UTC, misfire));
    }

    private static TriggerDef every(String name, Duration interval) {
        return new TriggerDef(name, null, new Every(interval));
    }

    @Test
    void aCronFiresIntoTheSinkWithTheSlotItWasScheduledFor() {
        // given
        Schedules schedules = schedules();
        schedules.sync(List.of(cron("tick", "*/1 * * * * ?", Misfire.RUN_ONCE)));

        // when
        schedules.start();

        // then
        await().atMost(FIRST_FIRING).until(() -> !sink.events().isEmpty());
        ObjectNode event = sink.events().get(0);
        Instant slot = scheduledFor(event);
        assertThat(slot).isEqualTo(slot.truncatedTo(ChronoUnit.SECONDS));
        assertThat(event.get("type").asText()).isEqualTo("tributary.cron");
        assertThat(event.get("id").asText()).isEqualTo("tick/" + slot);
        assertThat(event.get("trigger").asText()).isEqualTo("tick");
        assertThat(event.get("source").asText()).isEqualTo("/triggers/tick");
        assertThat(Instant.parse(event.get("time").asText())).isEqualTo(firedAt(event));
        assertThat(firedAt(event)).isBetween(slot, slot.plusSeconds(1)); // the first firing after start is the slowest
    }

    @Test
    void everyFiresOnTheEpochGrid() {
        // given
        Schedules schedules = schedules();
        schedules.sync(List.of(every("pulse", Duration.ofSeconds(2))));

        // when
        schedules.start();

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.slots("pulse").size() >= 2);
        ObjectNode event = sink.events().get(0);
        assertThat(event.get("type").asText()).isEqualTo("tributary.every");
        assertThat(sink.slots("pulse")).allSatisfy(slot -> assertThat(slot.toEpochMilli() % 2000).isZero());
        assertThat(Duration.between(sink.slots("pulse").get(0), sink.slots("pulse").get(1))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void syncAddsNewTriggersReplacesChangedOnesAndRemovesTheRest() {
        // given
        Schedules schedules = schedules();
        schedules.sync(List.of(cron("nightly", "0 0 2 * * ?", Misfire.RUN_ONCE), every("pulse", Duration.ofMinutes(5)),
                new TriggerDef("hook", null, new TriggerSource.EventPattern("order.*"))));
        assertThat(schedules.scheduled()).containsOnlyKeys("nightly", "pulse");

        // when
        Cron changed = new Cron("0 0 2 * * ?", ZoneId.of("Europe/Berlin"), Misfire.RUN_ALL);
        schedules.sync(List.of(new TriggerDef("nightly", null, changed), every("fresh", Duration.ofSeconds(30))));

        // then
        assertThat(schedules.scheduled()).containsOnlyKeys("nightly", "fresh");
        assertThat(schedules.scheduled().get("nightly")).isEqualTo(changed);
        assertThat(schedules.scheduled().get("fresh")).isEqualTo(new Every(Duration.ofSeconds(30)));
        assertThat(quartzTriggerCount()).isEqualTo(2);
    }

    @Test
    void syncWithUnchangedTriggersLeavesQuartzsTriggersAsTheyAre() throws SQLException {
        // given
        Schedules schedules = schedules();
        List<TriggerDef> triggers = List.of(cron("nightly", "0 0 2 * * ?", Misfire.RUN_ONCE));
        schedules.sync(triggers);
        long startTime = quartzStartTime("nightly");
        Instant slot = lastSlot("nightly");
        await().until(() -> Instant.now().toEpochMilli() > startTime + 10);

        // when
        schedules.sync(triggers);
        stop(schedules);
        schedules().sync(triggers);

        // then
        assertThat(quartzStartTime("nightly")).isEqualTo(startTime);
        assertThat(lastSlot("nightly")).isEqualTo(slot);
    }

    @Test
    void aRestartNeitherRepeatsNorLosesASlot() {
        // given
        Schedules first = schedules();
        List<TriggerDef> triggers = List.of(cron("tick", "*/1 * * * * ?", Misfire.RUN_ONCE));
        first.sync(triggers);
        first.start();
        await().atMost(Duration.ofSeconds(4)).until(() -> sink.slots("tick").size() >= 2);

        // when
        stop(first);
        Instant lastBefore = last(sink.slots("tick"));
        Schedules second = schedules();
        second.sync(triggers);
        second.start();

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> last(sink.slots("tick")).isAfter(lastBefore.plusSeconds(2)));
        assertContiguous(sink.slots("tick"));
        assertThat(sink.events()).hasSize(sink.slots("tick").size());
    }

    @ParameterizedTest
    @EnumSource(Misfire.class)
    void slotsMissedWhileNoNodeWasUpAreHandedOverByTheMisfirePolicy(Misfire misfire) throws SQLException {
        // given an hourly cron half an hour away from now, last fired five hours ago
        Instant now = Instant.now();
        int minute = (now.atZone(ZoneOffset.UTC).getMinute() + 30) % 60;
        Cron hourly = new Cron("0 " + minute + " * * * ?", ZoneOffset.UTC, misfire);
        Schedules first = schedules();
        first.sync(List.of(new TriggerDef("hourly", null, hourly)));
        stop(first);
        Instant lastFired = now.minus(Duration.ofHours(5));
        setLastSlot("hourly", lastFired);
        List<Instant> missed = FireTimes.next(hourly, lastFired, 5);

        // when
        Schedules second = schedules();
        second.sync(List.of(new TriggerDef("hourly", null, hourly)));
        second.start();

        // then: the catch-up is handed over during start
        List<Instant> expected = switch (misfire) {
            case RUN_ONCE -> List.of(missed.get(4));
            case SKIP -> List.of();
            case RUN_ALL -> missed;
        };
        assertThat(sink.slots("hourly")).isEqualTo(expected);
        assertThat(sink.events()).allSatisfy(event -> assertThat(firedAt(event)).isAfterOrEqualTo(now));
        if (!expected.isEmpty()) {
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(lastSlot("hourly")).isEqualTo(last(expected)));
        }
    }

    @Test
    void slotsCaughtUpOnAreNotCaughtUpOnAgain() throws SQLException {
        // given
        Instant now = Instant.now();
        int minute = (now.atZone(ZoneOffset.UTC).getMinute() + 30) % 60;
        List<TriggerDef> triggers = List.of(cron("hourly", "0 " + minute + " * * * ?", Misfire.RUN_ALL));
        Schedules first = schedules();
        first.sync(triggers);
        setLastSlot("hourly", now.minus(Duration.ofHours(3)));
        first.start();
        await().atMost(Duration.ofSeconds(2)).until(() -> lastSlot("hourly").isAfter(now.minus(Duration.ofHours(1))));
        List<String> handedOver = sink.handedOver();

        // when
        stop(first);
        Schedules second = schedules();
        second.sync(triggers);
        second.start();

        // then
        assertThat(handedOver).hasSize(3);
        assertThat(sink.handedOver()).isEqualTo(handedOver);
    }

    @ParameterizedTest
    @EnumSource(Misfire.class)
    void aOneSecondCronStoppedForSecondsCatchesUpByItsPolicy(Misfire misfire) {
        // given
        List<TriggerDef> triggers = List.of(cron("tick", "*/1 * * * * ?", misfire));
        Schedules first = schedules("node-1", false, Duration.ofSeconds(1));
        first.sync(triggers);
        first.start();
        await().atMost(FIRST_FIRING).until(() -> !sink.slots("tick").isEmpty());

        // when the node is down for four seconds
        stop(first);
        Instant lastBefore = last(sink.slots("tick"));
        Instant stoppedAt = Instant.now();
        await().atMost(Duration.ofSeconds(6)).until(() -> Instant.now().isAfter(stoppedAt.plusSeconds(4)));
        Instant up = Instant.now();
        Schedules second = schedules("node-1", false, Duration.ofSeconds(1));
        second.sync(triggers);
        second.start();
        await().atMost(Duration.ofSeconds(4)).until(() -> last(sink.slots("tick")).isAfter(up.plusSeconds(1)));

        // then
        List<Instant> slots = sink.slots("tick");
        List<Instant> missed = slots.stream().filter(s -> s.isAfter(lastBefore) && !s.isAfter(up)).toList();
        List<Instant> missedLongBefore = missed.stream().filter(s -> s.isBefore(up.minusSeconds(1))).toList();
        switch (misfire) {
            case RUN_ALL -> assertContiguous(slots);
            case SKIP -> assertThat(missed).isEmpty();
            case RUN_ONCE -> {
                assertThat(missedLongBefore).isEmpty();
                assertThat(missed).hasSizeLessThanOrEqualTo(1);
                assertThat(slots).anySatisfy(s -> assertThat(s).isBetween(up.minusSeconds(1), up.plusSeconds(1)));
            }
        }
        assertThat(slots.stream().filter(s -> s.isAfter(up))).isNotEmpty();
    }

    @Test
    void aFiringTheRouterCouldNotAcceptIsOfferedAgain() {
        // given
        sink.failNext(2);
        Schedules schedules = schedules();
        schedules.sync(List.of(cron("tick", "0/10 * * * * ?", Misfire.RUN_ONCE)));

        // when
        schedules.start();

        // then: offered at the slot, then 1 s and 2 s later
        await().atMost(Duration.ofSeconds(16)).until(() -> !sink.events().isEmpty());
        String id = sink.events().get(0).get("id").asText();
        assertThat(sink.handOvers(id)).isEqualTo(3);
        assertThat(Duration.between(scheduledFor(sink.events().get(0)), sink.acceptedAt(id))).isBetween(
                Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    @Test
    void inAClusterEachSlotFiresOnOneNode() {
        // given
        List<TriggerDef> triggers = List.of(cron("tick", "*/1 * * * * ?", Misfire.RUN_ONCE));
        Schedules a = schedules("node-a", true, ScheduleConfig.DEFAULT_MISFIRE_THRESHOLD);
        Schedules b = schedules("node-b", true, ScheduleConfig.DEFAULT_MISFIRE_THRESHOLD);
        a.sync(triggers);
        b.sync(triggers);

        // when
        a.start();
        b.start();

        // then
        await().atMost(Duration.ofSeconds(8)).until(() -> sink.slots("tick").size() >= 5);
        stop(a);
        stop(b);
        assertContiguous(sink.slots("tick"));
        assertThat(sink.handedOver()).doesNotHaveDuplicates();
    }

    // ---- helpers

    private static Instant last(List<Instant> slots) {
        return slots.isEmpty() ? Instant.EPOCH : slots.get(slots.size() - 1);
    }

    private static void assertContiguous(List<Instant> slots) {
        for (int i = 1; i < slots.size(); i++) {
            assertThat(Duration.between(slots.get(i - 1), slots.get(i))).as("between %s and %s", slots.get(i - 1), slots.get(i))
                    .isEqualTo(Duration.ofSeconds(1));
        }
    }

    private long quartzTriggerCount() {
        return query("SELECT COUNT(*) FROM qrtz_triggers", null);
    }

    private long quartzStartTime(String trigger) {
        return query("SELECT start_time FROM qrtz_triggers WHERE trigger_name = ?", trigger);
    }

    private Instant lastSlot(String trigger) {
        return Instant.EPOCH.plus(query("SELECT last_slot FROM schedule_slots WHERE trigger_name = ?", trigger), ChronoUnit.MICROS);
    }

    private void setLastSlot(String trigger, Instant slot) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE schedule_slots SET last_slot = ? WHERE trigger_name = ?")) {
            s.setLong(1, ChronoUnit.MICROS.between(Instant.EPOCH, slot));
            s.setString(2, trigger);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private long query(String sql, String parameter) {
        try (Connection c = store.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            try (ResultSet rows = s.executeQuery()) {
                assertThat(rows.next()).as("a row for %s", sql).isTrue();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String... statements) throws SQLException {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
