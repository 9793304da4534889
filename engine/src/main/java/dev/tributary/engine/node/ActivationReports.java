package dev.tributary.engine.node;

import dev.tributary.engine.store.ActivationPage;
import dev.tributary.engine.store.ActivationQuery;
import dev.tributary.engine.store.ActivationStore;
import dev.tributary.engine.store.ActivationTotals;
import dev.tributary.functions.Activation;
import dev.tributary.functions.Metering;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The node's answers about recorded activations: pages of them, one with its logs, usage over a
 * time range (by default the current UTC month so far), and a run's cost. They count what the
 * {@link ActivationRecorder} has written, a batch behind the activations themselves.
 */
final class ActivationReports {

    private final ActivationStore store;
    private final Clock clock;
    private final Metering metering;

    ActivationReports(ActivationStore store, Clock clock, Metering metering) {
        this.store = store;
        this.clock = clock;
        this.metering = metering;
    }

    ActivationPage activations(ActivationQuery query) {
        try {
            return store.activations(query);
        } catch (IllegalArgumentException e) { // a cursor this node did not hand out, a limit below 1
            throw new EngineException(EngineException.Code.BAD_REQUEST, e.getMessage());
        }
    }

    Optional<Activation> activation(String id) {
        return store.activation(id);
    }

    /** {@code to} defaults to now, {@code from} to the start of the UTC month {@code to} falls in. */
    Engine.UsageReport usage(Instant from, Instant to) {
        Instant end = to == null ? clock.instant() : to;
        // the instant just before the end, so an end at midnight on the 1st means the month before
        Instant start = from == null ? YearMonth.from(end.minusNanos(1).atOffset(ZoneOffset.UTC)).atDay(1)
                .atStartOfDay(ZoneOffset.UTC).toInstant() : from;
        if (!start.isBefore(end)) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, "Expected the usage range to start before it ends, but from "
                    + start + " is not before to " + end);
        }
        return new Engine.UsageReport(start, end, metering.pricePerGbSecond(), store.usage(start, end));
    }

    ActivationTotals runCost(String runId) {
        return store.runCost(runId);
    }
}
