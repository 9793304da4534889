package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.functions.Activation;
import dev.tributary.functions.InvocationResult;

/** The JSON shape of an activation (SPEC §5), the same in every answer that shows one. */
public final class ActivationJson {

    private ActivationJson() {
    }

    /** @param withLogs false for lists, where logs would swell the answer; {@code GET /activations/{id}} shows them */
    public static ObjectNode of(Activation a, boolean withLogs) {
        ObjectNode json = Json.object();
        json.put("id", a.id()).put("function", a.function()).put("version", a.version());
        json.put("run", a.runId()).put("step", a.step()).put("attempt", a.attempt());
        json.put("idempotencyKey", a.idempotencyKey());
        json.put("status", a.status().key());
        json.put("startedAt", a.startedAt().toString());
        json.put("durationMs", a.duration().toNanos() / 1e6);
        json.put("memoryMb", a.memoryMb());
        json.put("gbSeconds", a.gbSeconds());
        json.put("cost", a.cost());
        json.put("coldStart", a.coldStart());
        json.set("result", a.value());
        if (a.result() instanceof InvocationResult.Failure failure) {
            json.set("error", Json.object().put("type", failure.type()).put("message", failure.message()));
        } else {
            json.putNull("error");
        }
        if (withLogs) {
            json.put("logs", a.logs());
        }
        return json;
    }
}
