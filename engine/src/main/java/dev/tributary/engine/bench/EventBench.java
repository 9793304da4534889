package dev.tributary.engine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.dsl.load.SourceText;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.tributary.engine.node.Engine;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Scenario (e): CloudEvents POSTed to {@code /api/v1/events} over loopback, each matching one rule
 * that starts a run. A 202 comes back once the event is durable and the rule's run has durably
 * started, so the request's latency is the trigger-to-run-start latency.
 */
public final class EventBench {

    /**
     * Events/s at peak, and POST-to-run-started latency in milliseconds (idle: one event at a time);
     * {@code inProcessPerSecond} the same events handed to the engine without HTTP, to tell the two costs apart.
     */
    public record Figures(double eventsPerSecond, double idleP50, double idleP99, double peakP50, double peakP99,
                          double inProcessPerSecond, int failed) {
    }

    static final String DEFINITIONS = """
            trigger: bench-orders
            event: bench.order.*
            ---
            workflow: bench-order
            steps:
              - { name: note, set: { seen: "${ data.n }" } }
            ---
            rule: bench-order-placed
            trigger: bench-orders
            workflow: bench-order
            """;

    private final Engine engine;
    private final URI events;
    private final String apiKey;
    private final Duration phase;
    private final int concurrency;
    private final PrintStream log;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger failed = new AtomicInteger();

    /** @param api the node's API root, e.g. {@code http://127.0.0.1:8080} */
    public EventBench(Engine engine, String api, String apiKey, Duration phase, int concurrency, PrintStream log) {
        this.engine = engine;
        this.events = URI.create(api + "/api/v1/events");
        this.apiKey = apiKey;
        this.phase = phase;
        this.concurrency = concurrency;
        this.log = log;
    }

    public Figures measure() throws InterruptedException {
        engine.deploy(List.of(new SourceText("bench-events.yaml", DEFINITIONS)));
        log.println("(e) events through POST /events: warming up");
        closedLoop(Duration.ofSeconds(2), new Latencies());
        failed.set(0);
        log.println("(e) idle latency, one event at a time");
        Latencies idle = new Latencies();
        long end = System.nanoTime() + phase.toNanos();
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            post().join();
            idle.add(System.nanoTime() - t0);
        }
        log.printf("(e) peak, %d events in flight%n", concurrency);
        Latencies peak = new Latencies();
        double rate = closedLoop(phase, peak, this::post);
        log.printf("(e) the same in process, %d events in flight%n", concurrency);
        double inProcess = closedLoop(phase, new Latencies(), this::publish);
        return new Figures(rate, idle.percentileMillis(50), idle.percentileMillis(99), peak.percentileMillis(50),
                peak.percentileMillis(99), inProcess, failed.get());
    }

    private double closedLoop(Duration length, Latencies latencies) throws InterruptedException {
        return closedLoop(length, latencies, this::post);
    }

    private double closedLoop(Duration length, Latencies latencies, Supplier<CompletableFuture<Void>> send) throws InterruptedException {
        long deadline = System.nanoTime() + length.toNanos();
        AtomicInteger completed = new AtomicInteger();
        CountDownLatch users = new CountDownLatch(concurrency);
        long t0 = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            loop(deadline, latencies, completed, users, send);
        }
        users.await();
        return completed.get() / ((System.nanoTime() - t0) / 1e9);
    }

    private void loop(long deadline, Latencies latencies, AtomicInteger completed, CountDownLatch users,
                      Supplier<CompletableFuture<Void>> send) {
        long t0 = System.nanoTime();
        send.get().whenComplete((v, e) -> {
            latencies.add(System.nanoTime() - t0);
            completed.incrementAndGet();
            if (System.nanoTime() < deadline) {
                loop(deadline, latencies, completed, users, send);
            } else {
                users.countDown();
            }
        });
    }

    /** One event in process; counted as failed unless it started exactly one run. */
    private CompletableFuture<Void> publish() {
        JsonNode event;
        try {
            event = JSON.readTree(event());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return engine.publish(event).handle((receipt, e) -> {
            if (e != null || receipt.runs().size() != 1) {
                failed.incrementAndGet();
            }
            return null;
        });
    }

    private static String event() {
        return "{\"specversion\": \"1.0\", \"id\": \"" + UUID.randomUUID() + "\", \"source\": \"/bench\", "
                + "\"type\": \"bench.order.placed\", \"data\": {\"n\": 1}}";
    }

    /** One event over HTTP; counted as failed unless it was accepted and started exactly one run. */
    private CompletableFuture<Void> post() {
        String body = event();
        HttpRequest request = HttpRequest.newBuilder(events).header("Content-Type", "application/cloudevents+json")
                .header("Authorization", "Bearer " + apiKey).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, e) -> {
            if (e != null || response.statusCode() != 202 || !response.body().contains("\"runs\":[\"")) {
                failed.incrementAndGet();
            }
            return null;
        });
    }
}
