package dev.tributary.engine.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.Delivery;
import dev.tributary.connectors.EventSink;
import dev.tributary.connectors.schedule.ScheduleConfig;
import dev.tributary.connectors.schedule.Schedules;
import dev.tributary.dsl.model.TriggerDef;
import dev.tributary.dsl.model.TriggerSource.Cron;
import dev.tributary.dsl.model.TriggerSource.Misfire;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.engine.store.StoreConfig;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Cron firing delay: when a firing reaches the event sink minus the slot it was scheduled for,
 * for {@code triggers} one-second crons over {@code seconds}, on one node or two clustered ones.
 * The first 3 seconds (class loading, first queries) are not counted.
 *
 * <pre>
 * mvn -B -ntp -o -q -pl engine -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp engine/target/test-classes:engine/target/classes:$(cat /tmp/cp.txt) \
 *     dev.tributary.engine.schedule.CronDelayBench h2|postgres [triggers=10] [seconds=30] [nodes=1]
 * </pre>
 */
public final class CronDelayBench {

    public static void main(String[] args) throws Exception {
        boolean postgres = args.length > 0 && args[0].equals("postgres");
        int triggers = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int nodes = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        StoreConfig config = postgres
                ? StoreConfig.of("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null)
                        .withSchema("cron_bench_" + UUID.randomUUID().toString().replace("-", ""))
                : StoreConfig.h2(Files.createTempDirectory("cron-bench"));
        List<Long> delays = new ArrayList<>();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        AtomicInteger handovers = new AtomicInteger();
        Instant countFrom = Instant.now().plusSeconds(3);
        EventSink sink = event -> {
            Instant now = Instant.now();
            ids.add(id(event));
            handovers.incrementAndGet();
            Instant slot = Instant.parse(event.get("data").get("scheduledFor").asText());
            if (!slot.isBefore(countFrom)) {
                synchronized (delays) {
                    delays.add(Duration.between(slot, now).toNanos());
                }
            }
            return CompletableFuture.completedFuture(new Delivery(id(event), false, List.of()));
        };
        List<TriggerDef> defs = IntStream.range(0, triggers)
                .mapToObj(i -> new TriggerDef("tick-" + i, null, new Cron("*/1 * * * * ?", ZoneOffset.UTC, Misfire.RUN_ONCE)))
                .toList();
        try (JdbcRunStore store = JdbcRunStore.open(config)) {
            List<Schedules> running = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                Schedules schedules = new Schedules(ScheduleConfig.of(store.dataSource(), postgres, "bench-" + n, nodes > 1),
                        sink, Clock.systemUTC());
                schedules.sync(defs);
                schedules.start();
                running.add(schedules);
            }
            Thread.sleep((seconds + 3) * 1000L); // a harness, not a test: it runs for as long as asked
            running.forEach(Schedules::close);
            if (postgres) {
                try (var c = store.dataSource().getConnection(); var s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + config.schema() + " CASCADE");
                }
            }
        }
        long[] sorted;
        synchronized (delays) {
            sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        System.out.printf("%s, %d node(s), %d one-second crons, %d s: %d handovers of %d distinct slots; delay p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                postgres ? "PostgreSQL" : "H2", nodes, triggers, seconds, handovers.get(), ids.size(),
                percentile(sorted, 50), percentile(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    private static String id(ObjectNode event) {
        return event.get("id").asText();
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
    }

}
