package dev.tributary.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 end to end: a real server, functions in every runtime deployed with their code by the
 * real {@code trib deploy}, invoked directly and from a workflow; activations, logs and usage
 * read back through the API and the CLI; timeouts that leave no process; scale to zero.
 */
class FunctionsIT {

    private static final Path PROJECT = Path.of("src/test/resources/functions-project").toAbsolutePath();

    @TempDir
    Path dataDir;
    @TempDir
    Path project;
    private ServerProcess server;
    private HttpServer upstream;

    @BeforeEach
    void start() throws Exception {
        copy(PROJECT, project);
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/quote", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode input = ServerProcess.JSON.readTree(body);
            byte[] answer = ("{\"quoted\": " + input.path("amount").asInt() * 2 + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        upstream.start();
        Files.writeString(project.resolve("more.yaml"), """
                function: quote
                runtime: http
                url: http://127.0.0.1:%d/quote
                ---
                function: upper
                runtime: java
                code: java/upper.jar
                handler: example.Upper
                ---
                function: misbehave
                runtime: python
                memory: 128
                source: |
                  import os
                  def main(args):
                      what = args["do"]
                      if what == "hog":
                          hog = bytearray(1024 * 1024 * 1024)
                      if what == "big":
                          return {"blob": "x" * (2 * 1024 * 1024)}
                      if what == "chatty":
                          print("y" * (200 * 1024))
                      if what == "crash":
                          os._exit(3)
                      return {"pid": os.getpid()}
                ---
                function: sleepy
                runtime: python
                timeout: 1s
                keep-warm: 1s
                source: |
                  import subprocess, time
                  def main(args):
                      subprocess.Popen(["sleep", "301.5"])
                      time.sleep(30)
                """.formatted(upstream.getAddress().getPort()));
        buildJar(project.resolve("java"));
        server = new ServerProcess(dataDir, "--allow-private-http").start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    @Test
    void everyRuntimeRunsThroughTheServerAndIsMetered() throws Exception {
        // given everything deployed with its code by the real CLI
        TribProcess.Result deploy = trib("deploy", project.toString());
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();

        // when each function is invoked directly
        JsonNode python = invoke("pay.charge", "{\"amount\": 40}");
        JsonNode node = invoke("shout", "{\"text\": \"hi\"}");
        JsonNode process = invoke("count", "{\"text\": \"one two three\"}");
        JsonNode java = invoke("upper", "{\"text\": \"abc\"}");
        JsonNode http = invoke("quote", "{\"amount\": 21}");

        // then each answers with its result, recorded as an activation
        assertThat(python.get("result").get("charged").asInt()).isEqualTo(40);
        assertThat(python.get("result").get("currency").asText()).isEqualTo("EUR");
        assertThat(python.get("result").get("env")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("CURRENCY", "HOME", "LANG", "PATH");
        assertThat(python.get("activation").get("coldStart").asBoolean()).isTrue();
        assertThat(python.get("activation").get("memoryMb").asInt()).isEqualTo(256);
        assertThat(python.get("activation").get("logs").asText()).contains("charging 40 for pay.charge");
        assertThat(node.get("result").get("text").asText()).isEqualTo("HI");
        assertThat(process.get("result").get("words").asInt()).isEqualTo(3);
        assertThat(process.get("activation").get("logs").asText()).contains("counting");
        assertThat(java.get("result").get("text").asText()).isEqualTo("ABC");
        assertThat(http.get("result").get("quoted").asInt()).isEqualTo(42);
        assertThat(invoke("pay.charge", "{\"amount\": 41}").get("activation").get("coldStart").asBoolean()).isFalse();

        // a process exiting non-zero is a FunctionError with its stderr
        JsonNode failed = invoke("count", "{\"fail\": true}").get("activation");
        assertThat(failed.get("status").asText()).isEqualTo("error");
        assertThat(failed.get("error").get("type").asText()).isEqualTo("FunctionError");
        assertThat(failed.get("error").get("message").asText()).contains("3", "asked to fail");

        // and from a workflow: python's exception class is the error type a catch matches
        JsonNode paid = run("checkout", "{\"amount\": 30}");
        assertThat(paid.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(paid.get("data").get("announced").get("text").asText()).isEqualTo("PAID 30 EUR");
        assertThat(paid.get("data").get("receipt").get("key").asText()).isEqualTo(paid.get("id").asText() + "/charge/1");
        assertThat(paid.get("cost").get("activations").asInt()).isEqualTo(2);
        assertThat(paid.get("cost").get("gbSeconds").asDouble()).isPositive();
        JsonNode declined = run("checkout", "{\"amount\": 500}");
        assertThat(declined.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(declined.get("data").get("failure").get("type").asText()).isEqualTo("CardDeclined");
        assertThat(declined.get("data").get("failure").get("message").asText()).isEqualTo("card declined for amount 500");

        // activations are listed per run and function, with logs, through the CLI
        JsonNode ofRun = json(trib("activations", "list", "--run", paid.get("id").asText(), "-o", "json"));
        assertThat(ofRun.get("activations")).extracting(a -> a.get("function").asText()).containsExactly("shout", "pay.charge");
        String chargeId = ofRun.get("activations").get(1).get("id").asText();
        TribProcess.Result logs = trib("activations", "logs", chargeId);
        assertThat(logs.out()).contains("charging 30 for pay.charge");
        JsonNode usage = json(trib("usage", "-o", "json"));
        assertThat(usage.get("functions")).extracting(f -> f.get("function").asText())
                .contains("pay.charge", "shout", "count", "upper", "quote");
        assertThat(usage.get("total").get("cost").asDouble()).isPositive();
    }

    @Test
    void aTimeoutKillsTheWholeProcessGroupAndIdleFunctionsScaleToZero() throws Exception {
        // given
        TribProcess.Result deploy = trib("deploy", project.toString());
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();

        // when the function outlives its 1 s timeout, having started a grandchild
        JsonNode activation = invoke("sleepy", "{}").get("activation");

        // then it timed out, and neither the worker nor its grandchild is left
        assertThat(activation.get("status").asText()).isEqualTo("timeout");
        await().atMost(Duration.ofSeconds(10)).until(() -> processesMatching("sleep 301.5").isEmpty());

        // and once every function has been idle past its keep-warm, no python process is left
        invoke("pay.charge", "{\"amount\": 1}");
        await().atMost(Duration.ofSeconds(30)).until(() -> descendantsOfServer().stream().noneMatch(c -> c.contains("python")));
    }

    @Test
    void capsCrashesAndMemoryHogsFailTheActivationNotTheServer() throws Exception {
        // given
        assertThat(trib("deploy", project.toString()).exitCode()).isZero();

        // when a function misbehaves in each way, then each fails cleanly and the next call works
        assertThat(error(invoke("misbehave", "{\"do\": \"hog\"}"))).isEqualTo("MemoryError");
        assertThat(error(invoke("misbehave", "{\"do\": \"big\"}"))).isEqualTo("LimitExceeded");
        JsonNode chatty = invoke("misbehave", "{\"do\": \"chatty\"}").get("activation");
        assertThat(chatty.get("status").asText()).isEqualTo("success");
        assertThat(chatty.get("logs").asText()).hasSizeLessThan(70 * 1024).endsWith("[log truncated: activation logs are kept up to 64 KiB]\n");
        JsonNode crashed = invoke("misbehave", "{\"do\": \"crash\"}").get("activation");
        assertThat(crashed.get("error").get("type").asText()).isEqualTo("FunctionError");
        assertThat(invoke("misbehave", "{\"do\": \"nothing\"}").get("activation").get("status").asText()).isEqualTo("success");
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aRedeployDuringLoadLetsActivationsInFlightFinishOnTheOldVersion() throws Exception {
        // given a python function being called without pause
        Path code = project.resolve("greet/main.py");
        assertThat(trib("deploy", project.toString()).exitCode()).isZero();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(server.postAsync("/functions/pay.charge/invoke", "{\"amount\": " + i + "}"));
        }

        // when its code changes and is deployed while they run
        Files.writeString(code, Files.readString(code).replace("\"charged\":", "\"version\": 2, \"charged\":"));
        TribProcess.Result redeploy = trib("deploy", project.toString(), "-o", "json");
        assertThat(redeploy.exitCode()).as(redeploy.err()).isZero();
        for (int i = 0; i < 40; i++) {
            calls.add(server.postAsync("/functions/pay.charge/invoke", "{\"amount\": " + i + "}"));
        }

        // then every call succeeded, each on one version or the other, and new calls run the new code
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.join();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(server.json(response).get("activation").get("status").asText()).isEqualTo("success");
        }
        JsonNode after = invoke("pay.charge", "{\"amount\": 5}");
        assertThat(after.get("activation").get("version").asInt()).isEqualTo(2);
        assertThat(after.get("result").get("version").asInt()).isEqualTo(2);
    }

    // ---- helpers

    private JsonNode invoke(String function, String input) throws Exception {
        HttpResponse<String> response = server.post("/functions/" + function + "/invoke", input);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return server.json(response);
    }

    private static String error(JsonNode invoked) {
        return invoked.get("activation").get("error").path("type").asText("(no error)");
    }

    private JsonNode run(String workflow, String input) throws Exception {
        HttpResponse<String> started = server.post("/workflows/" + workflow + "/runs?wait=30s", input);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        return server.json(server.get("/runs/" + server.json(started).get("id").asText()));
    }

    private TribProcess.Result trib(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", server.url(), "--api-key", ServerProcess.KEY));
        return TribProcess.run(project, all.toArray(String[]::new));
    }

    private static JsonNode json(TribProcess.Result r) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return ServerProcess.JSON.readTree(r.out());
    }

    private static List<String> processesMatching(String text) {
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(text)).toList();
    }

    private List<String> descendantsOfServer() {
        return ProcessHandle.of(server.pid()).map(p -> p.descendants().map(d -> d.info().commandLine().orElse(""))
                .toList()).orElse(List.of());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    /** Compiles a Handler against the server jar (which holds the functions API) and packs it as upper.jar. */
    private static void buildJar(Path dir) throws IOException {
        Path source = dir.resolve("src/example/Upper.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package example;

                import com.fasterxml.jackson.databind.JsonNode;
                import com.fasterxml.jackson.databind.node.JsonNodeFactory;
                import dev.tributary.functions.api.Context;
                import dev.tributary.functions.api.Handler;

                public class Upper implements Handler {
                    @Override
                    public JsonNode handle(JsonNode input, Context context) {
                        return JsonNodeFactory.instance.objectNode().put("text", input.path("text").asText().toUpperCase());
                    }
                }
                """);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = compiler.run(null, null, errors, "-d", classes.toString(),
                "-cp", TribProcess.jar().toAbsolutePath().toString(), source.toString());
        if (status != 0) {
            throw new IllegalStateException("Expected the test handler to compile, but: " + errors.toString(StandardCharsets.UTF_8));
        }
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("upper.jar")));
             InputStream in = Files.newInputStream(classes.resolve("example/Upper.class"))) {
            jar.putNextEntry(new JarEntry("example/Upper.class"));
            in.transferTo(jar);
            jar.closeEntry();
        }
    }
}
