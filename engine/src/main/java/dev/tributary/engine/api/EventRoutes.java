package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.engine.node.Engine;

/** {@code POST /events}: accept one CloudEvent (structured or binary mode); 202 once it is durable. */
final class EventRoutes {

    private final Engine engine;
    private final EngineCalls calls;
    private final CloudEvents cloudEvents;

    EventRoutes(Engine engine, EngineCalls calls, CloudEvents cloudEvents) {
        this.engine = engine;
        this.calls = calls;
        this.cloudEvents = cloudEvents;
    }

    void mount(ApiRoutes routes) {
        routes.post("/events", (ctx, body) -> {
            ObjectNode event = cloudEvents.read(ctx.request(), body);
            return calls.async(() -> engine.publish(event)).map(receipt -> Reply.json(202, Representations.eventReceipt(receipt)));
        });
    }
}
