package dev.tributary.engine.cli;

import java.time.Duration;
import java.util.Set;

/** Re-reads a run until it is in a final status: for runs that outlast one waiting request. */
final class RunPolling {

    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
    private static final Duration MAX_INTERVAL = Duration.ofSeconds(10);

    private RunPolling() {
    }

    static ApiClient.Response untilEnded(ApiClient api, String runId, Duration firstInterval) throws InterruptedException {
        Duration interval = firstInterval;
        while (true) {
            ApiClient.Response current = api.get("/runs/" + ApiClient.segment(runId));
            if (FINAL.contains(current.json().path("status").asText())) {
                return current;
            }
            Thread.sleep(interval.toMillis());
            // Back off: a run still going after minutes does not need reading every second.
            interval = interval.multipliedBy(2).compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : interval.multipliedBy(2);
        }
    }
}
