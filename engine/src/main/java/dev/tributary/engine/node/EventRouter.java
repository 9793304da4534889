package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.Delivery;
import dev.tributary.engine.core.Signal;
import dev.tributary.engine.store.InboxEvent;
import dev.tributary.engine.store.RuleFiring;
import dev.tributary.engine.store.RunStore;
import dev.tributary.engine.store.Task;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes CloudEvents in: stores each in the inbox (deduplicated by id), resumes every run waiting
 * for its type and subject, fires every enabled rule it is for (SPEC §2.6), then marks it routed
 * together with what it fired, in one group-committed write. An event accepted but not routed (the
 * node stopped in between) is routed again on start, skipping the rules it has a firing for; a
 * rule's run is found again by its idempotency key, a rule's function runs again (at least once).
 */
final class EventRouter {

    private static final Logger LOG = LoggerFactory.getLogger(EventRouter.class);
    private static final int RECOVERY_BATCH = 1_000;

    /**
     * One published event: {@code started} once it is durable, its waits resumed and its rules
     * started (runs durable, functions on their way); {@code delivered} once every rule was served.
     */
    record Routing(CompletableFuture<Engine.EventReceipt> started, CompletableFuture<Delivery> delivered) {
    }

    private final RunStore store;
    private final RunDriver driver;
    private final Clock clock;
    private final EngineMetrics metrics;
    private final Executor pool;
    private final Supplier<RuleBook> rules;
    private final RuleFirings firings;

    EventRouter(NodeParts parts, Executor pool, Supplier<RuleBook> rules, RuleFirings firings) {
        this.store = parts.store();
        this.driver = parts.driver();
        this.clock = parts.clock();
        this.metrics = parts.metrics();
        this.pool = pool;
        this.rules = rules;
        this.firings = firings;
    }

    /** Accepts an event durably, then routes it; {@code started} fails when it could not be accepted. */
    Routing publish(JsonNode cloudEvent) {
        InboxEvent event;
        try {
            event = inboxEvent(cloudEvent);
        } catch (EngineException e) {
            return new Routing(CompletableFuture.failedFuture(e), CompletableFuture.failedFuture(e));
        }
        CompletableFuture<Delivery> delivered = new CompletableFuture<>();
        CompletableFuture<Engine.EventReceipt> started = store.acceptEvent(event).thenComposeAsync(accepted -> {
            if (!accepted) {
                delivered.complete(new Delivery(event.id(), true, List.of()));
                return CompletableFuture.completedFuture(new Engine.EventReceipt(event.id(), true, List.of(), List.of()));
            }
            metrics.eventAccepted();
            Route route = route(event, Set.of());
            route.delivered().whenComplete((d, e) -> {
                if (e != null) {
                    delivered.completeExceptionally(e);
                } else {
                    delivered.complete(d);
                }
            });
            return route.started();
        }, pool);
        started.whenComplete((r, e) -> {
            if (e != null) {
                delivered.completeExceptionally(e);
            }
        });
        return new Routing(started, delivered);
    }

    /** Routes what was accepted but not routed before the node stopped. */
    void routeUnrouted() {
        List<InboxEvent> unrouted;
        do {
            unrouted = store.unroutedEvents(RECOVERY_BATCH);
            CompletableFuture.allOf(unrouted.stream()
                    .map(event -> route(event, store.firings(event.id()).stream().map(RuleFiring::rule).collect(Collectors.toSet()))
                            .delivered())
                    .toArray(CompletableFuture[]::new)).join();
        } while (unrouted.size() == RECOVERY_BATCH);
    }

    private record Route(CompletableFuture<Engine.EventReceipt> started, CompletableFuture<Delivery> delivered) {
    }

    /** @param firedBefore rules this event already has a recorded firing for (recovery) */
    private Route route(InboxEvent event, Set<String> firedBefore) {
        List<Task> waits = event.subject() == null ? List.of() : store.waitsFor(event.type(), event.subject());
        CompletableFuture<?>[] resumed = waits.stream().map(wait -> resume(wait, event)).toArray(CompletableFuture[]::new);
        List<RuleFirings.Fired> fired = new ArrayList<>();
        for (RuleBook.Rule rule : rules.get().matching(event.cloudEvent())) {
            if (!firedBefore.contains(rule.name())) {
                RuleFirings.Fired f = firings.fire(rule, event);
                if (f != null) {
                    fired.add(f);
                }
            }
        }
        // a wait that could not be resumed keeps the event unrouted, to be routed again on the next start
        CompletableFuture<Boolean> waitsResumed = CompletableFuture.allOf(resumed).handle((v, error) -> {
            if (error != null) {
                LOG.warn("Event '{}' stays unrouted until the next start: {}", event.id(), error.toString());
            }
            return error == null;
        });
        CompletableFuture<Engine.EventReceipt> started = CompletableFuture.allOf(
                        fired.stream().map(RuleFirings.Fired::started).toArray(CompletableFuture[]::new))
                .thenCombine(waitsResumed, (a, b) -> receipt(event, fired));
        CompletableFuture<List<RuleFirings.Served>> served = CompletableFuture.allOf(
                        fired.stream().map(RuleFirings.Fired::done).toArray(CompletableFuture[]::new))
                .thenApply(v -> fired.stream().map(f -> f.done().join()).toList());
        CompletableFuture<Delivery> delivered = served.thenCombine(waitsResumed, Served::new)
                .thenCompose(s -> (s.waitsResumed()
                        ? store.markRouted(event.id(), s.rules().stream().map(RuleFirings.Served::firing).toList())
                        : CompletableFuture.<Void>completedFuture(null))
                        .thenApply(v -> delivery(event, s.rules())))
                .whenComplete((d, error) -> {
                    if (error != null) {
                        LOG.warn("Event '{}' stays unrouted until the next start: {}", event.id(), error.toString());
                    }
                });
        return new Route(started, delivered);
    }

    private record Served(List<RuleFirings.Served> rules, boolean waitsResumed) {
    }

    private static Engine.EventReceipt receipt(InboxEvent event, List<RuleFirings.Fired> fired) {
        List<String> names = fired.stream().map(f -> f.rule().name()).toList();
        // a workflow rule has started once its run is durable: its firing (with the run id) is done by then
        List<String> runs = fired.stream().filter(f -> f.done().isDone()).map(f -> f.done().join().firing().runId())
                .filter(Objects::nonNull).toList();
        return new Engine.EventReceipt(event.id(), false, names, runs);
    }

    private static Delivery delivery(InboxEvent event, List<RuleFirings.Served> done) {
        return new Delivery(event.id(), false, done.stream().map(s -> new Delivery.RuleOutcome(s.firing().rule(), s.firing().runId(),
                s.result(), s.firing().errorType(), s.firing().errorMessage())).toList());
    }

    /** Resumes one waiting run; a run that is gone counts as delivered. */
    private CompletableFuture<Void> resume(Task wait, InboxEvent event) {
        return driver.signal(wait.runId(), new Signal.EventReceived(wait.id(), event.cloudEvent(), clock.instant()))
                .handle((state, error) -> {
                    Throwable cause = error != null && error.getCause() != null ? error.getCause() : error;
                    if (cause != null && !(cause instanceof EngineException e && e.code() == EngineException.Code.NOT_FOUND)) {
                        throw new IllegalStateException("Expected to resume run '" + wait.runId() + "', but " + cause.getMessage(), cause);
                    }
                    return null;
                });
    }

    private InboxEvent inboxEvent(JsonNode cloudEvent) {
        String id = text(cloudEvent, "id");
        String type = text(cloudEvent, "type");
        if (id == null || type == null) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, "Expected a CloudEvent with an 'id' and a 'type', but "
                    + (id == null ? "'id'" : "'type'") + " is missing");
        }
        return new InboxEvent(id, type, text(cloudEvent, "subject"), text(cloudEvent, "source"), clock.instant(), cloudEvent);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
