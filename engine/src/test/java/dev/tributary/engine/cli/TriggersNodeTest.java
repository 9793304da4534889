package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.api.NodeServer;
import dev.tributary.engine.store.RunQuery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks (http and GitHub), the trigger and rule routes and their CLI commands, against a real node over loopback. */
class TriggersNodeTest {

    private static final String DEFINITIONS = """
            function: greet
            runtime: expr
            expr: ${ 'hello world to ' + input.name }
            ---
            function: page
            runtime: expr
            expr: "${ {'statusCode': 201, 'headers': {'x-made-by': 'tributary'}, 'body': {'made': input.name}} }"
            ---
            workflow: note
            steps:
              - name: keep
                set: { got: "${ data }" }
            ---
            trigger: hello
            http: { path: hello, methods: [GET, POST], auth: none, respond: true, timeout: 5s }
            ---
            rule: say-hello
            trigger: hello
            call: greet
            with: { name: "${ event.http.query.name }" }
            ---
            trigger: pages
            http: { path: pages/new, auth: key, key: page-key, respond: true }
            ---
            rule: make-page
            trigger: pages
            call: page
            ---
            trigger: signed
            http: { path: signed, auth: hmac, secret: hmac-secret }
            ---
            rule: keep-signed
            trigger: signed
            workflow: note
            ---
            trigger: repo
            github: { secret: gh-secret, events: [push] }
            ---
            rule: on-push
            trigger: repo
            workflow: note
            with: { repo: "${ event.subject }", ref: "${ event.data.ref }" }
            """;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private NodeServer server;

    @BeforeEach
    void start() throws IOException {
        server = NodeServer.start(dir);
        CliRun deployed = trib("deploy", Files.writeString(dir.resolve("hooks.yaml"), DEFINITIONS).toString());
        assertThat(deployed.exit()).as(deployed.err()).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anOpenHookAnswersWithTheRulesFunctionResult() throws Exception {
        // when
        HttpResponse<String> answer = send("GET", "/hooks/hello?name=Ada", "", Map.of());

        // then
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(answer.body()).isEqualTo("hello world to Ada");
    }

    @Test
    void aKeyHookNeedsItsOwnKeyOrTheApiKeyAndAnswersAWebResponse() throws Exception {
        // when
        HttpResponse<String> none = send("POST", "/hooks/pages/new", "{\"name\": \"a\"}", Map.of());
        HttpResponse<String> wrong = send("POST", "/hooks/pages/new", "{\"name\": \"a\"}", Map.of("X-Tributary-Key", "nope"));
        HttpResponse<String> own = send("POST", "/hooks/pages/new", "{\"name\": \"a\"}", Map.of("X-Tributary-Key", "page-key"));
        HttpResponse<String> admin = send("POST", "/api/v1/hooks/pages/new", "{\"name\": \"b\"}", Map.of("X-Tributary-Key", NodeServer.KEY));
        HttpResponse<String> method = send("GET", "/hooks/pages/new", "", Map.of("X-Tributary-Key", "page-key"));
        HttpResponse<String> unknown = send("POST", "/hooks/nowhere", "{}", Map.of());

        // then
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("X-Tributary-Key").doesNotContain("page-key");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(own.statusCode()).isEqualTo(201);
        assertThat(own.headers().firstValue("x-made-by")).hasValue("tributary");
        assertThat(json(own.body())).isEqualTo(json("{\"made\": \"a\"}"));
        assertThat(admin.statusCode()).isEqualTo(201);
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown.body()).path("error").path("message").asText()).contains("/hooks/nowhere");
    }

    @Test
    void anHmacHookStartsItsRunOnlyForABodySignedWithTheSecret() throws Exception {
        // given
        String body = "{\"order\": 7}";

        // when
        HttpResponse<String> good = send("POST", "/hooks/signed", body, Map.of("X-Signature-256", "sha256=" + hmac("hmac-secret", body)));
        HttpResponse<String> forged = send("POST", "/hooks/signed", body, Map.of("X-Signature-256", "sha256=" + hmac("guess", body)));
        HttpResponse<String> tampered = send("POST", "/hooks/signed", "{\"order\": 8}",
                Map.of("X-Signature-256", "sha256=" + hmac("hmac-secret", body)));
        HttpResponse<String> unsigned = send("POST", "/hooks/signed", body, Map.of());

        // then
        assertThat(good.statusCode()).isEqualTo(202);
        JsonNode receipt = json(good.body());
        assertThat(receipt.path("rules").toString()).isEqualTo("[\"keep-signed\"]");
        String runId = receipt.path("runs").path(0).asText();
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(server.node.runs(new RunQuery(null, null, 10, null)).runs()).extracting(r -> r.id()).containsExactly(runId);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(server.node.run(runId).orElseThrow().data().path("got").path("order").asInt()).isEqualTo(7));
    }

    @Test
    void aGitHubDeliveryIsVerifiedFilteredAndFiredOnceEvenWhenReplayed() throws Exception {
        // given
        String push = "{\"ref\": \"refs/heads/main\", \"repository\": {\"full_name\": \"acme/widgets\"}}";
        Map<String, String> signed = Map.of("X-Hub-Signature-256", "sha256=" + hmac("gh-secret", push),
                "X-GitHub-Event", "push", "X-GitHub-Delivery", "d-1", "Content-Type", "application/json");

        // when
        HttpResponse<String> first = send("POST", "/hooks/github/repo", push, signed);
        HttpResponse<String> replayed = send("POST", "/hooks/github/repo", push, signed);
        HttpResponse<String> forged = send("POST", "/hooks/github/repo", push, Map.of("X-Hub-Signature-256",
                "sha256=" + hmac("other", push), "X-GitHub-Event", "push", "X-GitHub-Delivery", "d-2"));
        HttpResponse<String> issue = send("POST", "/hooks/github/repo", push, Map.of("X-Hub-Signature-256",
                "sha256=" + hmac("gh-secret", push), "X-GitHub-Event", "issues", "X-GitHub-Delivery", "d-3"));

        // then
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(json(replayed.body()).path("duplicate").asBoolean()).isTrue();
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(issue.statusCode()).isEqualTo(200);
        assertThat(json(issue.body()).path("ignored").asBoolean()).isTrue();
        var runs = server.node.runs(new RunQuery(null, null, 10, null)).runs();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).input()).isEqualTo(json("{\"repo\": \"acme/widgets\", \"ref\": \"refs/heads/main\"}"));
    }

    @Test
    void theCliListsTriggersAndRulesFiresATriggerAndDisablesARule() {
        // when
        CliRun triggers = trib("trigger", "list");
        CliRun rules = trib("rule", "list");
        CliRun fired = trib("trigger", "fire", "signed", "--data", "{\"order\": 1}");
        CliRun shown = trib("trigger", "get", "signed");
        CliRun disabled = trib("rule", "disable", "keep-signed");
        CliRun firedWhileDisabled = trib("trigger", "fire", "signed", "--data", "{\"order\": 2}", "-o", "json");
        CliRun unknown = trib("trigger", "fire", "nope");

        // then
        assertThat(triggers.exit()).as(triggers.err()).isZero();
        assertThat(triggers.out()).contains("hello", "http", "repo", "github", "say-hello");
        assertThat(rules.out()).contains("keep-signed", "workflow note", "make-page", "function page");
        assertThat(fired.exit()).as(fired.err()).isZero();
        assertThat(fired.out()).contains("rules keep-signed", "runs ");
        assertThat(shown.out()).contains("signed (http, version 1)", "last firings:", "keep-signed", "served");
        assertThat(disabled.out()).contains("Rule keep-signed is disabled (version 2)");
        assertThat(json(firedWhileDisabled.out()).path("rules")).isEmpty();
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("There is no trigger 'nope'");
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private CliRun trib(String... args) {
        return CliRun.against(server, args);
    }

    private static JsonNode json(String text) {
        try {
            return JsonText.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }
}
