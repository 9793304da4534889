package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.Delivery;
import dev.tributary.engine.core.Signal;
import dev.tributary.engine.store.InboxEvent;
import dev.tributary.engine.store.RuleFiring;
import dev.tributary.engine.store.RunStore;
import dev.tributary.engine.store.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes CloudEvents in: stores each in the inbox (deduplicated by id), resumes every run waiting
 * for its type and subject, fires every enabled rule it is for (SPEC §2.6), then records what it
 * fired and marks it routed, in one group-committed write. An event left unrouted — the node
 * stopped in between, or a wait or a run start failed — is routed again by a sweep (on start, then
 * every half minute): rules with a recorded firing are skipped, a rule's run is found again by its
 * idempotency key, a rule's function whose firing was not recorded runs again (at least once).
 */
final class EventRouter {

    private static final Logger LOG = LoggerFactory.getLogger(EventRouter.class);
    private static final int SWEEP_BATCH = 100;
    private static final int SWEEP_PAGES = 100;
    static final Duration SWEEP_EVERY = Duration.ofSeconds(30);
    private static final Instant EVERYTHING = Instant.parse("9999-12-31T00:00:00Z");
    /** The outcome a source sees for a rule that could not be served this time (it will be, by a sweep or its own retry). */
    private static final String UNSERVED = "Unavailable";

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
    /** Events being routed on this node: a sweep leaves them alone. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("tributary-event-sweep"));

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

    /**
     * Routes, in the background, what was accepted but not routed — before the node stopped, or
     * because a wait or a run start failed on the way (a store hiccup): everything now, then every
     * {@link #SWEEP_EVERY} whatever is older than that and not in flight on this node.
     */
    void startSweeping(boolean periodically) {
        sweeper.execute(() -> sweep(EVERYTHING));
        if (periodically) {
            long every = SWEEP_EVERY.toMillis();
            sweeper.scheduleWithFixedDelay(this::sweepStale, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** One sweep of the events older than {@link #SWEEP_EVERY} by the clock and still unrouted; returns once it is done. */
    void sweepStale() {
        sweep(clock.instant().minus(SWEEP_EVERY));
    }

    void close() {
        sweeper.shutdownNow();
    }

    /** One page after another while pages come full and something on them got routed (an unroutable event stays for the next sweep). */
    private void sweep(Instant receivedBefore) {
        try {
            for (int page = 0; page < SWEEP_PAGES; page++) {
                List<InboxEvent> unrouted = store.unroutedEvents(receivedBefore, SWEEP_BATCH);
                List<CompletableFuture<Boolean>> routed = unrouted.stream().filter(e -> !inFlight.contains(e.id()))
                        .map(e -> route(e, store.firings(e.id()).stream().map(RuleFiring::rule).collect(Collectors.toSet()))
                                .routed())
                        .toList();
                CompletableFuture.allOf(routed.toArray(CompletableFuture[]::new)).join();
                if (unrouted.size() < SWEEP_BATCH || routed.stream().noneMatch(CompletableFuture::join)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Routing the unrouted events stopped for now (tried again in {}): {}", SWEEP_EVERY, e.toString());
        }
    }

    /** @param routed whether the event ended up marked routed (never fails) */
    private record Route(CompletableFuture<Engine.EventReceipt> started, CompletableFuture<Delivery> delivered,
                         CompletableFuture<Boolean> routed) {
    }

    /** @param firedBefore rules this event already has a recorded firing for (routed again) */
    private Route route(InboxEvent event, Set<String> firedBefore) {
        inFlight.add(event.id());
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
        // a wait that could not be resumed keeps the event unrouted, to be routed again by a sweep
        CompletableFuture<Boolean> waitsResumed = CompletableFuture.allOf(resumed).handle((v, error) -> {
            if (error != null) {
                LOG.warn("Event '{}' stays unrouted for now: {}", event.id(), error.toString());
            }
            return error == null;
        });
        CompletableFuture<Engine.EventReceipt> started = CompletableFuture.allOf(fired.stream()
                        .map(f -> f.started().handle((v, e) -> null)).toArray(CompletableFuture[]::new))
                .thenCombine(waitsResumed, (a, b) -> receipt(event, fired));
        // a firing that failed (not refused: the node stopping, the store failing) is neither recorded nor final
        List<CompletableFuture<Outcome>> outcomes = fired.stream().map(f -> f.done().handle((served, error) -> error == null
                ? new Outcome(f.rule().name(), served, null) : new Outcome(f.rule().name(), null, error))).toList();
        CompletableFuture<Delivery> delivered = CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenCombine(waitsResumed, (v, waitsOk) -> {
                    List<Outcome> all = outcomes.stream().map(CompletableFuture::join).toList();
                    boolean complete = waitsOk && all.stream().allMatch(o -> o.served() != null);
                    return new Recorded(all, complete);
                })
                .thenCompose(r -> store.recordRouting(event.id(), r.firings(), r.complete()).thenApply(v -> r))
                .whenComplete((r, error) -> {
                    inFlight.remove(event.id());
                    if (error != null) {
                        LOG.warn("Event '{}' stays unrouted for now: {}", event.id(), error.toString());
                    } else if (!r.complete()) {
                        LOG.warn("Event '{}' stays unrouted for now: a rule or wait could not be served", event.id());
                    }
                })
                .thenApply(r -> delivery(event, r.outcomes()));
        CompletableFuture<Boolean> routed = delivered.handle((d, error) -> error == null
                && d.outcomes().stream().noneMatch(o -> UNSERVED.equals(o.errorType())));
        return new Route(started, delivered, routed);
    }

    /** What one fired rule came to: served (maybe with a recorded failure), or not served at all. */
    private record Outcome(String rule, RuleFirings.Served served, Throwable error) {
    }

    private record Recorded(List<Outcome> outcomes, boolean complete) {

        List<RuleFiring> firings() {
            return outcomes.stream().filter(o -> o.served() != null).map(o -> o.served().firing()).toList();
        }
    }

    private static Engine.EventReceipt receipt(InboxEvent event, List<RuleFirings.Fired> fired) {
        List<String> names = fired.stream().map(f -> f.rule().name()).toList();
        // a workflow rule has started once its run is durable: its firing (with the run id) is done by then
        List<String> runs = fired.stream().filter(f -> f.done().isDone() && !f.done().isCompletedExceptionally())
                .map(f -> f.done().join().firing().runId()).filter(Objects::nonNull).toList();
        return new Engine.EventReceipt(event.id(), false, names, runs);
    }

    private static Delivery delivery(InboxEvent event, List<Outcome> outcomes) {
        return new Delivery(event.id(), false, outcomes.stream().map(o -> o.served() == null
                ? new Delivery.RuleOutcome(o.rule(), null, null, UNSERVED, String.valueOf(o.error().getMessage()))
                : new Delivery.RuleOutcome(o.rule(), o.served().firing().runId(), o.served().result(),
                        o.served().firing().errorType(), o.served().firing().errorMessage())).toList());
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
