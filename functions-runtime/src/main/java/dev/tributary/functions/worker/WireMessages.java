package dev.tributary.functions.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.functions.ActivationLogs;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.Invocation;
import dev.tributary.functions.InvocationResult;
import java.util.Arrays;
import java.util.Map;

/** The server's side of the worker protocol's messages. */
final class WireMessages {

    /** What a worker answered to one invoke. */
    record Answer(InvocationResult result, String logs) {
    }

    private WireMessages() {
    }

    static byte[] invoke(Invocation invocation, long deadlineEpochMillis) {
        ObjectNode message = LineChannel.JSON.createObjectNode();
        message.put("invoke", invocation.activationId());
        message.set("input", invocation.input() == null ? NullNode.getInstance() : invocation.input());
        ObjectNode context = message.putObject("context");
        context.put("function_name", invocation.function().name());
        context.put("activation_id", invocation.activationId());
        context.put("idempotency_key", invocation.idempotencyKey());
        context.put("attempt", invocation.attempt());
        context.put("deadline_ms", deadlineEpochMillis);
        return line(message);
    }

    static byte[] load(WorkerRequest request, Map<String, String> env, RuntimeDirectory.ProcessFiles files) {
        ObjectNode message = LineChannel.JSON.createObjectNode();
        ObjectNode load = message.putObject("load");
        load.put("code", request.code().directory().toString());
        load.put("handler", request.handler());
        load.put("module", request.module());
        ObjectNode environment = load.putObject("env");
        env.forEach(environment::put);
        load.put("scratch", files.scratch().toString());
        return line(message);
    }

    static Answer answer(JsonNode done) {
        String logs = capped(done.path("logs").asText(""));
        if (done.path("ok").asBoolean(false)) {
            JsonNode result = done.get("result");
            return new Answer(new InvocationResult.Success(result == null ? NullNode.getInstance() : result), logs);
        }
        return new Answer(failure(done.path("error"), "the worker gave no error message"), logs);
    }

    static InvocationResult.Failure failure(JsonNode error, String fallbackMessage) {
        String type = error.path("type").asText("");
        return new InvocationResult.Failure(type.isEmpty() ? FailureTypes.FUNCTION_ERROR : type,
                error.path("message").asText(fallbackMessage));
    }

    static byte[] line(JsonNode message) {
        try {
            byte[] json = LineChannel.JSON.writeValueAsBytes(message);
            byte[] line = Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Expected a JSON tree to serialise, but " + e.getMessage(), e);
        }
    }

    /** Workers cap their logs; this only guards the server against one that does not. */
    private static String capped(String logs) {
        if (logs.length() <= ActivationLogs.MAX_BYTES / 3) {
            return logs;
        }
        if (logs.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                <= ActivationLogs.MAX_BYTES + ActivationLogs.TRUNCATED_MARKER.length()) {
            return logs;
        }
        ActivationLogs kept = new ActivationLogs();
        kept.append(logs);
        return kept.toString();
    }
}
