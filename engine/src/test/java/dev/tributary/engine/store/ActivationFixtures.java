package dev.tributary.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.functions.Activation;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Metering;
import java.time.Duration;
import java.time.Instant;

/** Activations for tests: {@code anActivation("a-1").function("charge").run("r-1", "pay").failed("CardDeclined", "no").build()}. */
public final class ActivationFixtures {

    /** Microseconds on purpose: the store keeps them. */
    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final Metering METERING = Metering.defaults();

    private ActivationFixtures() {
    }

    public static Builder anActivation(String id) {
        return new Builder(id);
    }

    public static final class Builder {
        private final String id;
        private String function = "greet";
        private int version = 1;
        private String runId;
        private String step;
        private int attempt = 1;
        private String idempotencyKey;
        private Instant startedAt = T0;
        private Duration duration = Duration.ofMillis(100);
        private int memoryMb = 256;
        private boolean coldStart;
        private InvocationResult result = new InvocationResult.Success(JsonNodeFactory.instance.objectNode().put("ok", true));
        private String logs = "";

        private Builder(String id) {
            this.id = id;
            this.idempotencyKey = id;
        }

        public Builder function(String name) {
            this.function = name;
            return this;
        }

        public Builder version(int v) {
            this.version = v;
            return this;
        }

        /** Part of a run: the idempotency key becomes {@code <run>/<step>/<attempt>} as the engine makes it. */
        public Builder run(String run, String stepName) {
            this.runId = run;
            this.step = stepName;
            this.idempotencyKey = run + "/" + stepName + "/" + attempt;
            return this;
        }

        public Builder attempt(int n) {
            this.attempt = n;
            if (runId != null) {
                this.idempotencyKey = runId + "/" + step + "/" + n;
            }
            return this;
        }

        public Builder startedAt(Instant at) {
            this.startedAt = at;
            return this;
        }

        public Builder duration(Duration d) {
            this.duration = d;
            return this;
        }

        public Builder memoryMb(int mb) {
            this.memoryMb = mb;
            return this;
        }

        public Builder coldStart() {
            this.coldStart = true;
            return this;
        }

        public Builder result(JsonNode value) {
            this.result = new InvocationResult.Success(value);
            return this;
        }

        public Builder failed(String type, String message) {
            this.result = new InvocationResult.Failure(type, message);
            return this;
        }

        public Builder timedOut() {
            return failed(FailureTypes.TIMEOUT, "function '" + function + "' did not finish within 1s");
        }

        public Builder logs(String text) {
            this.logs = text;
            return this;
        }

        /** GB-seconds and cost as the default metering computes them. */
        public Activation build() {
            double gbSeconds = METERING.gbSeconds(memoryMb, duration);
            return new Activation(id, function, version, runId, step, attempt, idempotencyKey, startedAt, duration, memoryMb,
                    gbSeconds, METERING.cost(gbSeconds), coldStart, result, logs);
        }
    }
}
