package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tributary.engine.api.ApiConfig;
import dev.tributary.engine.api.ApiServer;
import dev.tributary.engine.bench.Bench;
import dev.tributary.engine.bench.EventBench;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.UUID;
import dev.tributary.engine.node.Node;
import dev.tributary.engine.node.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trib bench}: starts an embedded node and measures run throughput, latency and timer firing (README, Performance). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure runs/s, end-to-end latency and timer firing on an embedded node, durability on.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--db", description = "JDBC URL of the store (default: H2 in a fresh temporary directory)")
    String db;

    @Option(names = "--scenarios", split = ",", defaultValue = "a,b,c,d,e",
            description = "a: 3 steps, b: foreach of 10 calls, c: switch + wait 0s, d: 1-second timers, "
                    + "e: events through POST /events, each starting a run by a rule (default: ${DEFAULT-VALUE})")
    List<String> scenarios;

    @Option(names = "--seconds", defaultValue = "5", description = "length of each measuring phase (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--concurrency", defaultValue = "64", description = "runs in flight at peak (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--timer-runs", defaultValue = "10000", description = "runs in scenario d (default: ${DEFAULT-VALUE})")
    int timerRuns;

    @Option(names = "--timer-rate", defaultValue = "1000", description = "runs started per second in scenario d (default: ${DEFAULT-VALUE})")
    double timerRate;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("trib-bench");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("store", db == null ? "H2 (file, WRITE_DELAY=0)" : db.replaceAll("password=[^&]*", "password=***"));
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("java", System.getProperty("java.version"));
        List<Bench.Figures> figures = new ArrayList<>();
        Bench.TimerFigures timers = null;
        EventBench.Figures events = null;
        NodeConfig config = NodeConfig.defaults(dir);
        try (Node node = Node.start(db == null ? config : config.withJdbcUrl(db))) {
            Bench bench = new Bench(node, Duration.ofSeconds(seconds), concurrency, System.err);
            for (String s : scenarios) {
                if (s.equals("d")) {
                    timers = bench.measureTimers(timerRuns, timerRate);
                } else if (s.equals("e")) {
                    events = measureEvents(node);
                } else {
                    figures.add(bench.measure(s));
                }
            }
        } finally {
            deleteTree(dir);
        }
        report.put("scenarios", figures);
        report.put("timers", timers);
        report.put("events", events);
        if (output == OutputFormat.json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            out.printf("store: %s, %s cores, Java %s%n", report.get("store"), report.get("cores"), report.get("java"));
            out.printf("%-32s %10s %16s %16s %22s %7s%n", "scenario", "runs/s", "idle p50/p99 ms", "peak p50/p99 ms",
                    "half-peak p50/p99 ms", "failed");
            for (Bench.Figures f : figures) {
                out.printf("%-32s %10.0f %7.2f/%-8.2f %7.2f/%-8.2f %12.2f/%-9.2f %7d%n", "(" + f.scenario() + ") " + f.title(),
                        f.runsPerSecond(), f.idleP50(), f.idleP99(), f.peakP50(), f.peakP99(), f.halfP50(), f.halfP99(),
                        f.failed());
            }
            if (timers != null) {
                out.printf("(d) %d runs on 1-second timers, started at %.0f/s: fired %.0f timers/s, lateness p50 %.1f ms, "
                                + "p99 %.1f ms, max %.1f ms, failed %d%n", timers.runs(), timers.startedPerSecond(),
                        timers.firedPerSecond(), timers.latenessP50(), timers.latenessP99(), timers.latenessMax(), timers.failed());
            }
        }
        if (events != null && output != OutputFormat.json) {
            out.printf("(e) events through POST /events, one rule starting a run each: %.0f events/s at %d in flight "
                            + "(%.0f/s in process), event-to-run-started p50/p99 %.2f/%.2f ms (idle) %.2f/%.2f ms (peak), failed %d%n",
                    events.eventsPerSecond(), concurrency, events.inProcessPerSecond(), events.idleP50(), events.idleP99(),
                    events.peakP50(), events.peakP99(), events.failed());
        }
        out.flush();
        return 0;
    }

    /** Scenario (e) goes through the real HTTP API on loopback, so it needs one. */
    private EventBench.Figures measureEvents(Node node) throws InterruptedException {
        String key = UUID.randomUUID().toString();
        Vertx vertx = Vertx.vertx();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ApiServer api = new ApiServer(vertx, node, ApiConfig.of("127.0.0.1", 0, key), registry);
        try {
            int port = api.start().await();
            return new EventBench(node, "http://127.0.0.1:" + port, key, Duration.ofSeconds(seconds), concurrency, System.err).measure();
        } finally {
            api.stop().await();
            vertx.close().await();
            registry.close();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
