package dev.tributary.engine.node;

import dev.tributary.functions.Metering;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How to start a {@link Node}.
 *
 * @param dataDir      where the embedded H2 database (and the admin key) live
 * @param jdbcUrl      a PostgreSQL (or H2) JDBC URL to use instead of H2 in {@code dataDir}; null for the default
 * @param clock        every instant the node reads comes from here (tests pass a settable clock)
 * @param shards       single-threaded executors runs are spread over
 * @param timerMode    AUTOMATIC in production; MANUAL for tests that call {@link Node#runDue()}
 * @param timerHorizon timers due within it are held in memory; the store is read again every half horizon
 * @param nodeId       this node's name in {@code /health}
 * @param metering     the price per GB-second activations are charged at
 */
public record NodeConfig(Path dataDir, String jdbcUrl, Clock clock, int shards, TimerService.Mode timerMode,
                         Duration timerHorizon, String nodeId, Metering metering) {

    public NodeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(timerMode, "timerMode");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(metering, "metering");
        if (shards < 1) {
            throw new IllegalArgumentException("Expected at least one shard, but got " + shards);
        }
        if (timerHorizon.isNegative() || timerHorizon.isZero()) {
            throw new IllegalArgumentException("Expected a positive timer horizon, but got " + timerHorizon);
        }
    }

    /** H2 in {@code dataDir}, the system clock, two shards per core, automatic timers, the default price per GB-second. */
    public static NodeConfig defaults(Path dataDir) {
        return new NodeConfig(dataDir, null, Clock.systemUTC(), 2 * Runtime.getRuntime().availableProcessors(),
                TimerService.Mode.AUTOMATIC, Duration.ofMinutes(1), "node-" + UUID.randomUUID().toString().substring(0, 8),
                Metering.defaults());
    }

    public NodeConfig withJdbcUrl(String url) {
        return new NodeConfig(dataDir, url, clock, shards, timerMode, timerHorizon, nodeId, metering);
    }

    public NodeConfig withClock(Clock newClock) {
        return new NodeConfig(dataDir, jdbcUrl, newClock, shards, timerMode, timerHorizon, nodeId, metering);
    }

    public NodeConfig withShards(int count) {
        return new NodeConfig(dataDir, jdbcUrl, clock, count, timerMode, timerHorizon, nodeId, metering);
    }

    /** Timers fire only when {@link Node#runDue()} is called. */
    public NodeConfig withManualTimers() {
        return withTimerMode(TimerService.Mode.MANUAL);
    }

    public NodeConfig withTimerMode(TimerService.Mode mode) {
        return new NodeConfig(dataDir, jdbcUrl, clock, shards, mode, timerHorizon, nodeId, metering);
    }

    public NodeConfig withTimerHorizon(Duration horizon) {
        return new NodeConfig(dataDir, jdbcUrl, clock, shards, timerMode, horizon, nodeId, metering);
    }

    public NodeConfig withMetering(Metering prices) {
        return new NodeConfig(dataDir, jdbcUrl, clock, shards, timerMode, timerHorizon, nodeId, prices);
    }

    public NodeConfig withNodeId(String id) {
        return new NodeConfig(dataDir, jdbcUrl, clock, shards, timerMode, timerHorizon, id, metering);
    }
}
