package dev.tributary.engine.node;

import dev.tributary.engine.core.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** The engine's meters, registered once in the node's Prometheus registry (served at {@code /metrics}). */
public final class EngineMetrics {

    private final PrometheusMeterRegistry registry;
    private final Counter runsStarted;
    private final Map<RunStatus, Counter> runsEnded = new EnumMap<>(RunStatus.class);
    private final Counter transitions;
    private final Counter commitFailures;
    private final Timer commitLatency;
    private final Counter timersFired;
    private final Counter eventsAccepted;

    public EngineMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public EngineMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        this.runsStarted = Counter.builder("tributary.runs.started").description("Runs started").register(registry);
        for (RunStatus status : RunStatus.values()) {
            if (status.isFinal()) {
                runsEnded.put(status, Counter.builder("tributary.runs.ended").tag("status", status.name())
                        .description("Runs ended, by final status").register(registry));
            }
        }
        this.transitions = Counter.builder("tributary.transitions.committed").description("Run transitions committed")
                .register(registry);
        this.commitFailures = Counter.builder("tributary.transitions.failed")
                .description("Run transitions whose commit failed (retried from the store)").register(registry);
        this.commitLatency = Timer.builder("tributary.commit.latency").description("Time from commit request to durable")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.timersFired = Counter.builder("tributary.timers.fired").description("Durable timers fired").register(registry);
        this.eventsAccepted = Counter.builder("tributary.events.accepted").description("Events accepted into the inbox")
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    Timer.Sample startCommit() {
        return Timer.start(registry);
    }

    void committed(Timer.Sample sample, boolean started, RunStatus status) {
        sample.stop(commitLatency);
        transitions.increment();
        if (started) {
            runsStarted.increment();
        }
        Counter ended = runsEnded.get(status);
        if (ended != null) {
            ended.increment();
        }
    }

    void commitFailed(Timer.Sample sample) {
        sample.stop(commitLatency);
        commitFailures.increment();
    }

    void timerFired() {
        timersFired.increment();
    }

    void eventAccepted() {
        eventsAccepted.increment();
    }
}
