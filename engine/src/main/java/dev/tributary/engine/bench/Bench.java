package dev.tributary.engine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.node.Engine;
import dev.tributary.engine.node.RunView;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a node in process through its {@link Engine} interface, exactly as the HTTP API does, with
 * durability on: every run start and every step is committed. For each scenario it measures the
 * end-to-end latency of one run at a time (idle), the peak rate with many runs in flight (closed
 * loop), and the latency at half that rate (open loop, timed from each run's intended start so a
 * stall is not hidden).
 */
public final class Bench {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one scenario measured; latencies in milliseconds. */
    public record Figures(String scenario, String title, double runsPerSecond, double idleP50, double idleP99,
                          double peakP50, double peakP99, double halfRate, double halfP50, double halfP99, int failed) {
    }

    /** What the timer scenario measured. */
    public record TimerFigures(int runs, double startedPerSecond, double firedPerSecond, double latenessP50,
                               double latenessP99, double latenessMax, int failed) {
    }

    private final Engine engine;
    private final Duration phase;
    private final int concurrency;
    private final PrintStream log;
    private final AtomicInteger failed = new AtomicInteger();

    public Bench(Engine engine, Duration phase, int concurrency, PrintStream log) {
        this.engine = engine;
        this.phase = phase;
        this.concurrency = concurrency;
        this.log = log;
    }

    public Figures measure(String key) throws InterruptedException {
        Scenario s = scenario(key);
        engine.deploy(List.of(new SourceText(s.workflow() + ".yaml", s.definitions())));
        JsonNode input = json(s.input());
        failed.set(0);
        log.printf("(%s) %s: warming up%n", s.key(), s.title());
        closedLoop(s, input, Duration.ofSeconds(2), new Latencies());
        log.printf("(%s) idle latency, one run at a time%n", s.key());
        Latencies idle = new Latencies();
        long end = System.nanoTime() + phase.toNanos();
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            finish(engine.startRun(s.workflow(), input, null)).join();
            idle.add(System.nanoTime() - t0);
        }
        log.printf("(%s) peak, %d runs in flight%n", s.key(), concurrency);
        Latencies peak = new Latencies();
        double rate = closedLoop(s, input, phase, peak);
        log.printf("(%s) half the peak, %.0f runs/s%n", s.key(), rate / 2);
        Latencies half = openLoop(s, input, rate / 2, phase);
        return new Figures(s.key(), s.title(), rate, idle.percentileMillis(50), idle.percentileMillis(99),
                peak.percentileMillis(50), peak.percentileMillis(99), rate / 2, half.percentileMillis(50),
                half.percentileMillis(99), failed.get());
    }

    /** Starts {@code runs} runs of the timer scenario at {@code rate} per second and reads when each timer fired. */
    public TimerFigures measureTimers(int runs, double rate) throws InterruptedException {
        Scenario s = Scenario.TIMER;
        engine.deploy(List.of(new SourceText(s.workflow() + ".yaml", s.definitions())));
        failed.set(0);
        log.printf("(d) %s: %d runs at %.0f/s%n", s.title(), runs, rate);
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(runs);
        long t0 = System.nanoTime();
        long interval = (long) (1e9 / rate);
        JsonNode input = json(s.input());
        for (int i = 0; i < runs; i++) {
            LockSupport.parkNanos(t0 + i * interval - System.nanoTime());
            engine.startRun(s.workflow(), input, null)
                    .thenCompose(v -> {
                        ids.add(v.id());
                        return engine.awaitEnd(v.id(), Duration.ofMinutes(5));
                    })
                    .whenComplete((v, e) -> {
                        count(v, e);
                        done.countDown();
                    });
        }
        double started = runs / ((System.nanoTime() - t0) / 1e9);
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("timer runs did not finish within 10 minutes");
        }
        Latencies lateness = new Latencies();
        Instant first = null;
        Instant last = null;
        for (String id : ids) {
            Map<String, Instant> due = new HashMap<>();
            for (HistoryEvent e : engine.history(id)) {
                if (e.type() == HistoryEvent.Type.TimerStarted) {
                    due.put(e.data().get("timer").asText(), Instant.parse(e.data().get("dueAt").asText()));
                } else if (e.type() == HistoryEvent.Type.TimerFired && due.containsKey(e.data().get("timer").asText())) {
                    Instant at = e.at();
                    lateness.add(Duration.between(due.get(e.data().get("timer").asText()), at).toNanos());
                    first = first == null || at.isBefore(first) ? at : first;
                    last = last == null || at.isAfter(last) ? at : last;
                }
            }
        }
        double window = first == null ? 0 : Math.max(1e-3, Duration.between(first, last).toNanos() / 1e9);
        return new TimerFigures(runs, started, lateness.count() / window, lateness.percentileMillis(50),
                lateness.percentileMillis(99), lateness.percentileMillis(100), failed.get());
    }

    /** {@code concurrency} runs always in flight until the time is up; returns completed runs per second. */
    private double closedLoop(Scenario s, JsonNode input, Duration length, Latencies latencies) throws InterruptedException {
        long deadline = System.nanoTime() + length.toNanos();
        AtomicInteger completed = new AtomicInteger();
        CountDownLatch users = new CountDownLatch(concurrency);
        long t0 = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            loop(s, input, deadline, latencies, completed, users);
        }
        users.await();
        return completed.get() / ((System.nanoTime() - t0) / 1e9);
    }

    private void loop(Scenario s, JsonNode input, long deadline, Latencies latencies, AtomicInteger completed, CountDownLatch users) {
        long t0 = System.nanoTime();
        finish(engine.startRun(s.workflow(), input, null)).whenComplete((v, e) -> {
            latencies.add(System.nanoTime() - t0);
            completed.incrementAndGet();
            if (System.nanoTime() < deadline) {
                loop(s, input, deadline, latencies, completed, users);
            } else {
                users.countDown();
            }
        });
    }

    /** Starts runs at a fixed rate, each timed from the instant it was due to start. */
    private Latencies openLoop(Scenario s, JsonNode input, double rate, Duration length) throws InterruptedException {
        Latencies latencies = new Latencies();
        long interval = (long) (1e9 / Math.max(1, rate));
        long t0 = System.nanoTime();
        int n = (int) (length.toNanos() / interval);
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            long intended = t0 + i * interval;
            LockSupport.parkNanos(intended - System.nanoTime());
            finish(engine.startRun(s.workflow(), input, null)).whenComplete((v, e) -> {
                latencies.add(System.nanoTime() - intended);
                done.countDown();
            });
        }
        done.await(5, TimeUnit.MINUTES);
        return latencies;
    }

    private CompletableFuture<RunView> finish(CompletableFuture<RunView> started) {
        return started.thenCompose(v -> v.status().isFinal() ? CompletableFuture.completedFuture(v)
                        : engine.awaitEnd(v.id(), Duration.ofMinutes(1)))
                .whenComplete(this::count);
    }

    private void count(RunView v, Throwable e) {
        if (e != null || v == null || v.status() != RunStatus.SUCCEEDED) {
            failed.incrementAndGet();
        }
    }

    private static Scenario scenario(String key) {
        return switch (key) {
            case "a" -> Scenario.THREE_STEPS;
            case "b" -> Scenario.FOREACH;
            case "c" -> Scenario.SWITCH_WAIT;
            default -> throw new IllegalArgumentException("Expected a scenario a, b or c (d is measureTimers), got '" + key + "'");
        };
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
