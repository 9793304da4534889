package dev.tributary.connectors.schedule;

import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Where and how {@link Schedules} keeps Quartz's jobs.
 *
 * @param dataSource       the node's pool: Quartz's tables (migration V7) are in the same database
 * @param postgres         PostgreSQL (Quartz's {@code PostgreSQLDelegate}), else H2 ({@code StdJDBCDelegate})
 * @param nodeId           Quartz's instance id; unique per node in a cluster
 * @param clustered        several nodes share the tables: Quartz's row locks make each firing run on one node
 * @param misfireThreshold how late a slot may fire before Quartz counts it missed and the trigger's
 *                         misfire policy decides instead
 */
public record ScheduleConfig(DataSource dataSource, boolean postgres, String nodeId, boolean clustered,
                             Duration misfireThreshold) {

    public static final Duration DEFAULT_MISFIRE_THRESHOLD = Duration.ofSeconds(5);

    public ScheduleConfig {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(nodeId, "nodeId");
        if (misfireThreshold.toMillis() < 1) {
            throw new IllegalArgumentException("Expected a misfire threshold of at least 1ms, but got " + misfireThreshold);
        }
    }

    public static ScheduleConfig of(DataSource dataSource, boolean postgres, String nodeId, boolean clustered) {
        return new ScheduleConfig(dataSource, postgres, nodeId, clustered, DEFAULT_MISFIRE_THRESHOLD);
    }

    public ScheduleConfig withMisfireThreshold(Duration threshold) {
        return new ScheduleConfig(dataSource, postgres, nodeId, clustered, threshold);
    }
}
