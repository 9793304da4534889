package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tributary.connectors.Delivery;
import dev.tributary.connectors.TriggerEvents;
import dev.tributary.dsl.expr.EvalContext;
import dev.tributary.dsl.expr.ExpressionError;
import dev.tributary.dsl.expr.SecretResolver;
import dev.tributary.dsl.expr.ValueTemplate;
import dev.tributary.dsl.model.TriggerDef;
import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.engine.core.RunStatus;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhooks of SPEC §2.5: {@code /hooks/<path>} for http triggers (auth none, key or hmac;
 * {@code respond: true} answers with the rule's output) and {@code /hooks/github/<trigger>}
 * (X-Hub-Signature-256 checked in constant time, X-GitHub-Event filtered, X-GitHub-Delivery as the
 * event id, so a replayed delivery fires nothing twice). A refused request fires nothing and its
 * answer names why without echoing any secret.
 */
final class Hooks {

    /** Request headers whose names say they carry credentials: never copied into the event. */
    private static final List<String> CREDENTIAL_WORDS = List.of("auth", "cookie", "key", "token", "secret", "signature",
            "password", "session");
    /** Headers a function may not set on a web response: the server frames the answer and keeps its own safety headers. */
    private static final Set<String> RESERVED_RESPONSE_HEADERS = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "proxy-connection", "x-content-type-options", "cache-control");

    interface Publisher {
        EventRouter.Routing publish(ObjectNode event);
    }

    private final Supplier<RuleBook> rules;
    private final Publisher router;
    private final RunAwaiter runs;
    private final SecretResolver secrets;
    private final Clock clock;

    /** Waits for a run to end, at most {@code max}. */
    interface RunAwaiter {
        CompletableFuture<RunView> awaitEnd(String runId, Duration max);
    }

    Hooks(Supplier<RuleBook> rules, Publisher router, RunAwaiter runs, SecretResolver secrets, Clock clock) {
        this.rules = rules;
        this.router = router;
        this.runs = runs;
        this.secrets = secrets;
        this.clock = clock;
    }

    CompletableFuture<HookResponse> handle(HookRequest request) {
        try {
            if (request.path().startsWith("github/")) {
                return github(request.path().substring("github/".length()), request);
            }
            return http(request);
        } catch (HookRefused refused) {
            return CompletableFuture.completedFuture(refused.response());
        }
    }

    // ---- http triggers

    private CompletableFuture<HookResponse> http(HookRequest request) {
        TriggerDef trigger = rules.get().triggers().stream()
                .filter(t -> t.source() instanceof TriggerSource.Http h && h.path().equals(request.path()))
                .findFirst().orElseThrow(() -> refused(404, "not_found", "There is no http trigger at /hooks/" + request.path()));
        TriggerSource.Http http = (TriggerSource.Http) trigger.source();
        if (!http.methods().contains(request.method())) {
            HookResponse refusal = error(405, "method_not_allowed", "The http trigger '" + trigger.name() + "' accepts "
                    + http.methods() + ", not " + request.method());
            Map<String, String> headers = new java.util.LinkedHashMap<>(refusal.headers());
            headers.put("allow", String.join(", ", http.methods()));
            throw new HookRefused(new HookResponse(405, headers, refusal.body()));
        }
        switch (http.auth()) {
            case NONE -> { }
            case KEY -> {
                String presented = request.header("x-tributary-key");
                boolean allowed = request.adminKey()
                        || http.apiKey() != null && presented != null && constantTimeEquals(presented, value(http.apiKey(), trigger));
                if (!allowed) {
                    throw refused(401, "unauthorized", "The http trigger '" + trigger.name()
                            + "' needs its key or the API key in X-Tributary-Key");
                }
            }
            case HMAC -> checkSignature(request, "x-signature-256", value(http.secret(), trigger), trigger.name());
        }
        ObjectNode event = TriggerEvents.event(trigger.name(), "tributary.http", eventId(trigger.name(), request), null,
                clock.instant(), body(request));
        ObjectNode meta = event.putObject("http").put("method", request.method()).put("path", "/hooks/" + request.path());
        ObjectNode query = meta.putObject("query");
        request.query().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
        ObjectNode headers = meta.putObject("headers");
        request.headers().forEach((k, v) -> {
            if (CREDENTIAL_WORDS.stream().noneMatch(k::contains)) {
                headers.put(k, v);
            }
        });
        EventRouter.Routing routing = router.publish(event);
        if (!http.respond()) {
            return routing.started().thenApply(receipt -> accepted(receipt.id(), receipt.rules(), receipt.runs()));
        }
        Instant deadline = clock.instant().plus(http.timeout());
        return routing.delivered()
                .thenCompose(delivery -> respond(delivery, deadline))
                .completeOnTimeout(error(504, "timeout", "The rule did not answer within the trigger's timeout of "
                        + http.timeout().toSeconds() + "s"), http.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
    }

    /** {@code respond: true}: the first fired rule's function result or workflow output is the answer. */
    private CompletableFuture<HookResponse> respond(Delivery delivery, Instant deadline) {
        if (delivery.outcomes().isEmpty()) {
            return CompletableFuture.completedFuture(delivery.duplicate()
                    ? error(409, "conflict", "Event '" + delivery.eventId() + "' was received before")
                    : accepted(delivery.eventId(), List.of(), List.of()));
        }
        Delivery.RuleOutcome first = delivery.outcomes().get(0);
        if (!first.succeeded()) { // the caller may be anyone: name the event, not the error (it is under the trigger's firings)
            return CompletableFuture.completedFuture(error(502, "rule_failed", "The rule '" + first.rule() + "' failed on event '"
                    + delivery.eventId() + "'"));
        }
        if (first.runId() == null) {
            return CompletableFuture.completedFuture(webResponse(first.result()));
        }
        Duration left = Duration.between(clock.instant(), deadline);
        return runs.awaitEnd(first.runId(), left.isNegative() ? Duration.ZERO : left).thenApply(run -> {
            if (run.status() == RunStatus.SUCCEEDED) {
                return webResponse(run.output());
            }
            if (!run.status().isFinal()) {
                return error(504, "timeout", "Run '" + run.id() + "' did not end within the trigger's timeout");
            }
            return error(502, "run_failed", "Run '" + run.id() + "' ended " + run.status());
        });
    }

    /**
     * An output with an integer {@code statusCode} is a web response ({@code headers}, {@code body}:
     * text as it is, anything else as JSON), as Lambda function URLs and OpenWhisk web actions do;
     * text is answered as text; anything else as JSON with 200.
     */
    static HookResponse webResponse(JsonNode output) {
        if (output != null && output.isObject() && output.path("statusCode").canConvertToInt() && output.path("statusCode").isIntegralNumber()) {
            int status = output.path("statusCode").asInt();
            if (status < 200 || status > 599 || status == 204 || status == 304) {
                return error(502, "bad_web_response", "The rule answered statusCode " + status + "; a web response needs 200-599 "
                        + "with a body allowed (not 204 or 304)");
            }
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = output.path("headers").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> h = fields.next();
                String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
                String value = h.getValue().asText();
                if (!RESERVED_RESPONSE_HEADERS.contains(name) && isToken(name) && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
                    headers.put(name, value);
                }
            }
            JsonNode body = output.get("body");
            if (body == null || body.isNull()) {
                return new HookResponse(status, headers, new byte[0]);
            }
            if (body.isTextual()) {
                headers.putIfAbsent("content-type", "text/plain; charset=utf-8");
                return new HookResponse(status, headers, body.asText().getBytes(StandardCharsets.UTF_8));
            }
            headers.putIfAbsent("content-type", "application/json");
            return new HookResponse(status, headers, body.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (output != null && output.isTextual()) {
            return new HookResponse(200, Map.of("content-type", "text/plain; charset=utf-8"), output.asText().getBytes(StandardCharsets.UTF_8));
        }
        String json = output == null ? "null" : output.toString();
        return new HookResponse(200, Map.of("content-type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    /** An HTTP header name: visible ASCII without separators. */
    private static boolean isToken(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
    }

    // ---- github

    private CompletableFuture<HookResponse> github(String name, HookRequest request) {
        TriggerDef trigger = rules.get().trigger(name).filter(t -> t.source() instanceof TriggerSource.GitHub)
                .orElseThrow(() -> refused(404, "not_found", "There is no github trigger '" + name + "'"));
        TriggerSource.GitHub github = (TriggerSource.GitHub) trigger.source();
        if (!"POST".equals(request.method())) {
            throw refused(405, "method_not_allowed", "GitHub webhooks are POSTed");
        }
        checkSignature(request, "x-hub-signature-256", value(github.secret(), name), name);
        String kind = request.header("x-github-event");
        String delivery = request.header("x-github-delivery");
        if (kind == null || kind.isBlank() || delivery == null || delivery.isBlank()) {
            throw refused(400, "bad_request", "Expected the headers X-GitHub-Event and X-GitHub-Delivery, but "
                    + (kind == null || kind.isBlank() ? "X-GitHub-Event" : "X-GitHub-Delivery") + " is missing");
        }
        if (!github.events().isEmpty() && !github.events().contains(kind)) {
            ObjectNode ignored = JsonNodeFactory.instance.objectNode().put("ignored", true)
                    .put("reason", "the trigger listens to " + github.events() + ", not '" + kind + "'");
            return CompletableFuture.completedFuture(json(200, ignored));
        }
        JsonNode payload = githubPayload(request);
        String subject = payload.path("repository").path("full_name").asText(null);
        ObjectNode event = TriggerEvents.event(name, "tributary.github." + kind, "github/" + name + "/" + delivery, subject,
                clock.instant(), payload);
        return router.publish(event).started().thenApply(receipt -> receipt.duplicate()
                ? json(200, JsonNodeFactory.instance.objectNode().put("eventId", receipt.id()).put("duplicate", true))
                : accepted(receipt.id(), receipt.rules(), receipt.runs()));
    }

    /** GitHub posts JSON, or {@code payload=<json>} form-encoded when the hook is set up so. */
    private static JsonNode githubPayload(HookRequest request) {
        String text = new String(request.body(), StandardCharsets.UTF_8);
        String type = request.headers().getOrDefault("content-type", "");
        if (type.startsWith("application/x-www-form-urlencoded") && text.startsWith("payload=")) {
            text = URLDecoder.decode(text.substring("payload=".length()), StandardCharsets.UTF_8);
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw refused(400, "bad_request", "Expected the webhook payload to be JSON, but it is not");
        }
    }

    // ---- shared

    private void checkSignature(HookRequest request, String header, String secret, String trigger) {
        String presented = request.header(header);
        if (presented == null || !presented.startsWith("sha256=")) {
            throw refused(401, "unauthorized", "Expected a signature 'sha256=<hex>' in " + header + " for trigger '" + trigger + "'");
        }
        String expected = "sha256=" + hmacSha256(secret, request.body());
        if (!constantTimeEquals(presented.toLowerCase(java.util.Locale.ROOT), expected)) {
            throw refused(401, "unauthorized", "The signature in " + header + " does not match the body for trigger '" + trigger + "'");
        }
    }

    static String hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("Expected every JVM to have HmacSHA256", e);
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** A trigger's secret or key, its expression (usually {@code secret('name')}) evaluated now. */
    private String value(ValueTemplate template, TriggerDef trigger) {
        if (template == null) {
            throw refused(500, "internal", "The trigger '" + trigger.name() + "' has no secret to check signatures with");
        }
        return value(template, trigger.name());
    }

    private String value(ValueTemplate template, String trigger) {
        try {
            JsonNode value = template.evaluate(EvalContext.builder().now(clock.instant()).secrets(secrets).build());
            if (value == null || value.isNull() || value.asText().isEmpty()) {
                throw refused(503, "unavailable", "The secret of trigger '" + trigger + "' is empty or not set");
            }
            return value.asText();
        } catch (ExpressionError e) {
            throw refused(503, "unavailable", "The secret of trigger '" + trigger + "' could not be read: " + e.getMessage());
        }
    }

    /** The body as JSON when it parses, else as text (SPEC §2.5), null when empty. */
    private static JsonNode body(HookRequest request) {
        if (request.body().length == 0) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return Json.MAPPER.readTree(request.body());
        } catch (IOException e) {
            return TextNode.valueOf(new String(request.body(), StandardCharsets.UTF_8));
        }
    }

    /** One event per request; a client's Idempotency-Key makes a retried request the same event. */
    private static String eventId(String trigger, HookRequest request) {
        String key = request.header("idempotency-key");
        return key != null && !key.isBlank() && key.length() <= 128 ? "http/" + trigger + "/" + key : UUID.randomUUID().toString();
    }

    private static HookResponse accepted(String eventId, List<String> rules, List<String> runs) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("eventId", eventId);
        rules.forEach(body.putArray("rules")::add);
        runs.forEach(body.putArray("runs")::add);
        return json(202, body);
    }

    private static HookResponse json(int status, JsonNode body) {
        return new HookResponse(status, Map.of("content-type", "application/json"), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static HookResponse error(int status, String code, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("error").put("code", code).put("message", message);
        return json(status, body);
    }

    private static HookRefused refused(int status, String code, String message) {
        return new HookRefused(error(status, code, message));
    }

    /** A request refused before anything was fired. */
    private static final class HookRefused extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final transient HookResponse response;

        HookRefused(HookResponse response) {
            super(null, null, false, false);
            this.response = response;
        }

        HookResponse response() {
            return response;
        }
    }
}
