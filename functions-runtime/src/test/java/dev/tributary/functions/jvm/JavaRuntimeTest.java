package dev.tributary.functions.jvm;

import static dev.tributary.functions.RuntimeFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.functions.Execution;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Job;
import dev.tributary.functions.RuntimeFixtures;
import dev.tributary.functions.code.LocatedCode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimeTest {

    private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    static Path build;
    private static Path code;

    private final SettableClock clock = new SettableClock(START);
    private JavaRuntime runtime;

    @BeforeAll
    static void buildTheFunctionJar() throws IOException {
        code = HandlerJar.build(build, Map.of(
                "fn.Counter", """
                        package fn;
                        import com.fasterxml.jackson.databind.JsonNode;
                        import com.fasterxml.jackson.databind.node.IntNode;
                        import dev.tributary.functions.api.*;
                        public class Counter implements Handler {
                            private static int calls;
                            public JsonNode handle(JsonNode input, Context context) {
                                return IntNode.valueOf(++calls);
                            }
                        }
                        """,
                "fn.Echo", """
                        package fn;
                        import com.fasterxml.jackson.databind.JsonNode;
                        import com.fasterxml.jackson.databind.node.JsonNodeFactory;
                        import dev.tributary.functions.api.*;
                        public class Echo implements Handler {
                            public JsonNode handle(JsonNode input, Context context) {
                                context.log("echoing " + input);
                                System.out.println("this goes to the server's stdout, not the activation's log");
                                var out = JsonNodeFactory.instance.objectNode();
                                out.set("input", input);
                                out.put("functionName", context.functionName());
                                out.put("activationId", context.activationId());
                                out.put("idempotencyKey", context.idempotencyKey());
                                out.put("attempt", context.attempt());
                                out.put("remaining", context.remainingTimeMillis());
                                return out;
                            }
                        }
                        """,
                "fn.CardDeclined", """
                        package fn;
                        public class CardDeclined extends Exception {
                            public CardDeclined(String message) { super(message); }
                        }
                        """,
                "fn.Charge", """
                        package fn;
                        import com.fasterxml.jackson.databind.JsonNode;
                        import dev.tributary.functions.api.*;
                        public class Charge implements Handler {
                            public JsonNode handle(JsonNode input, Context context) throws CardDeclined {
                                throw new CardDeclined("card " + input.get("card").asText() + " was declined");
                            }
                        }
                        """,
                "fn.Sleeper", """
                        package fn;
                        import com.fasterxml.jackson.databind.JsonNode;
                        import com.fasterxml.jackson.databind.node.TextNode;
                        import dev.tributary.functions.api.*;
                        public class Sleeper implements Handler {
                            public JsonNode handle(JsonNode input, Context context) throws InterruptedException {
                                Thread.sleep(input.get("ms").asLong());
                                return TextNode.valueOf("slept");
                            }
                        }
                        """,
                "fn.Peeker", """
                        package fn;
                        import com.fasterxml.jackson.databind.JsonNode;
                        import com.fasterxml.jackson.databind.node.TextNode;
                        import dev.tributary.functions.api.*;
                        public class Peeker implements Handler {
                            public JsonNode handle(JsonNode input, Context context) throws ClassNotFoundException {
                                return TextNode.valueOf(Class.forName(input.get("class").asText()).getName());
                            }
                        }
                        """,
                "fn.Big", """
                        package fn;
                        import com.fasterxml.jackson.databind.JsonNode;
                        import com.fasterxml.jackson.databind.node.TextNode;
                        import dev.tributary.functions.api.*;
                        public class Big implements Handler {
                            public JsonNode handle(JsonNode input, Context context) {
                                return TextNode.valueOf("b".repeat(input.get("chars").asInt()));
                            }
                        }
                        """,
                "fn.Stubborn", """
                        package fn;
                        import com.fasterxml.jackson.databind.JsonNode;
                        import com.fasterxml.jackson.databind.node.TextNode;
                        import dev.tributary.functions.api.*;
                        public class Stubborn implements Handler {
                            public JsonNode handle(JsonNode input, Context context) {
                                long end = System.nanoTime() + input.get("ms").asLong() * 1_000_000;
                                while (System.nanoTime() < end) {
                                    try { Thread.sleep(10); } catch (InterruptedException ignored) { }
                                }
                                return TextNode.valueOf("done");
                            }
                        }
                        """,
                "fn.Deep", """
                        package fn;
                        import com.fasterxml.jackson.databind.JsonNode;
                        import dev.tributary.functions.api.*;
                        public class Deep implements Handler {
                            public JsonNode handle(JsonNode input, Context context) {
                                return handle(input, context);
                            }
                        }
                        """,
                "fn.Mutator", """
                        package fn;
                        import com.fasterxml.jackson.databind.JsonNode;
                        import com.fasterxml.jackson.databind.node.ObjectNode;
                        import dev.tributary.functions.api.*;
                        public class Mutator implements Handler {
                            public JsonNode handle(JsonNode input, Context context) {
                                return ((ObjectNode) input).put("changed", true);
                            }
                        }
                        """)).getParent();
    }

    @BeforeEach
    void setUp() {
        runtime = new JavaRuntime(f -> new LocatedCode(code, null), clock,
                new JavaRuntime.Settings(8, 1L << 20, Duration.ofHours(1)));
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    @Test
    void runsAHandlerFromAJarAndKeepsItWarm() {
        // given
        FunctionDef counter = function("fn.Counter", "");

        // when
        Execution first = run(counter, "{}");
        Execution second = run(counter, "{}");

        // then
        assertThat(first.result()).isEqualTo(new InvocationResult.Success(json("1")));
        assertThat(first.coldStart()).isTrue();
        assertThat(second.result()).as("the same instance, statics and all").isEqualTo(new InvocationResult.Success(json("2")));
        assertThat(second.coldStart()).isFalse();
        assertThat(second.startedAt()).isEqualTo(START);
        assertThat(runtime.instances()).isEqualTo(1);
    }

    @Test
    void theContextCarriesTheActivationAndItsLogIsTheActivationLog() {
        // when
        Execution execution = runtime.invoke(RuntimeFixtures.job(function("fn.Echo", ""), "{\"x\": 1}",
                Duration.ofSeconds(30), Map.of(), "act-7")).join();

        // then
        JsonNode result = success(execution);
        assertThat(result.get("input")).isEqualTo(json("{\"x\": 1}"));
        assertThat(result.get("functionName").asText()).isEqualTo("f");
        assertThat(result.get("activationId").asText()).isEqualTo("act-7");
        assertThat(result.get("idempotencyKey").asText()).isEqualTo("run-1/step/1");
        assertThat(result.get("attempt").asInt()).isEqualTo(1);
        assertThat(result.get("remaining").asLong()).isBetween(20_000L, 30_000L);
        assertThat(execution.logs()).isEqualTo("echoing {\"x\":1}\n");
    }

    @Test
    void anExceptionsSimpleClassNameIsTheErrorType() {
        // when
        Execution execution = run(function("fn.Charge", ""), "{\"card\": \"4242\"}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("CardDeclined", "card 4242 was declined"));
        assertThat(runtime.instances()).as("an exception leaves the instance usable").isEqualTo(1);
    }

    @Test
    void aTimeoutInterruptsTheHandlerAndTheNextActivationGetsANewInstance() {
        // given
        FunctionDef sleeper = function("fn.Sleeper", "");

        // when
        Execution late = runtime.invoke(RuntimeFixtures.job(sleeper, "{\"ms\": 60000}", Duration.ofMillis(300))).join();

        // then
        assertThat(late.result()).isEqualTo(new InvocationResult.Failure("Timeout",
                "java function 'f' did not finish within PT0.3S; its thread was interrupted"));
        assertThat(late.duration()).isLessThan(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.instances() == 0);
        Execution next = run(sleeper, "{\"ms\": 1}");
        assertThat(next.result()).isEqualTo(new InvocationResult.Success(json("\"slept\"")));
        assertThat(next.coldStart()).isTrue();
    }

    @Test
    void aHandlerThatIgnoresTheInterruptKeepsItsSlotUntilItReturns() {
        // given
        FunctionDef stubborn = function("fn.Stubborn", "concurrency: 1\n");

        // when
        CompletableFuture<Execution> first = runtime.invoke(RuntimeFixtures.job(stubborn, "{\"ms\": 1500}", Duration.ofMillis(200)));
        CompletableFuture<Execution> second = runtime.invoke(RuntimeFixtures.job(stubborn, "{\"ms\": 1}", Duration.ofSeconds(30)));
        Execution late = first.join();

        // then
        assertThat(late.result()).isInstanceOfSatisfying(InvocationResult.Failure.class, f -> assertThat(f.type()).isEqualTo("Timeout"));
        assertThat(second).as("the only slot is still held by the thread that ignored the interrupt").isNotDone();
        Execution next = second.join();
        assertThat(next.result()).isEqualTo(new InvocationResult.Success(json("\"done\"")));
        assertThat(next.coldStart()).as("the timed-out instance was thrown away").isTrue();
    }

    @Test
    void anErrorIsReportedByItsNameAndTheInstanceIsNotReused() {
        // when
        Execution execution = run(function("fn.Deep", ""), "{}");

        // then
        assertThat(execution.result()).isInstanceOfSatisfying(InvocationResult.Failure.class,
                f -> assertThat(f.type()).isEqualTo("StackOverflowError"));
        assertThat(runtime.instances()).isZero();
    }

    @Test
    void theServerIsInvisibleToTheFunctionButTheJdkAndJacksonAreThere() {
        // given
        FunctionDef peeker = function("fn.Peeker", "");

        // when
        List<InvocationResult> results = List.of("dev.tributary.functions.Functions", "org.apache.commons.jexl3.JexlBuilder",
                        "dev.tributary.functions.jvm.JavaRuntime", "com.fasterxml.jackson.databind.ObjectMapper", "java.net.http.HttpClient")
                .stream().map(name -> run(peeker, "{\"class\": \"" + name + "\"}").result()).toList();

        // then
        assertThat(results).containsExactly(
                new InvocationResult.Failure("ClassNotFoundException", "dev.tributary.functions.Functions"),
                new InvocationResult.Failure("ClassNotFoundException", "org.apache.commons.jexl3.JexlBuilder"),
                new InvocationResult.Failure("ClassNotFoundException", "dev.tributary.functions.jvm.JavaRuntime"),
                new InvocationResult.Success(json("\"com.fasterxml.jackson.databind.ObjectMapper\"")),
                new InvocationResult.Success(json("\"java.net.http.HttpClient\"")));
    }

    @Test
    void aResultOverTheLimitIsLimitExceeded() {
        // when
        Execution execution = run(function("fn.Big", ""), "{\"chars\": 2000000}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("LimitExceeded",
                "the result of java function 'f' is over the limit 'function result' of 1048576 bytes"));
        assertThat(success(run(function("fn.Big", ""), "{\"chars\": 1000}")).asText()).hasSize(1000);
    }

    @Test
    void theHandlerWorksOnACopyOfTheInput() {
        // given
        Job job = RuntimeFixtures.job(function("fn.Mutator", ""), "{\"a\": 1}");

        // when
        Execution execution = runtime.invoke(job).join();

        // then
        assertThat(success(execution)).isEqualTo(json("{\"a\": 1, \"changed\": true}"));
        assertThat(job.input()).isEqualTo(json("{\"a\": 1}"));
    }

    @Test
    void concurrencyBoundsTheInstancesAndExcessActivationsWaitInLine() {
        // given
        FunctionDef sleeper = function("fn.Sleeper", "concurrency: 2\n");

        // when
        List<CompletableFuture<Execution>> running = IntStream.range(0, 6)
                .mapToObj(i -> runtime.invoke(RuntimeFixtures.job(sleeper, "{\"ms\": 100}"))).toList();
        List<Execution> done = running.stream().map(CompletableFuture::join).toList();

        // then
        assertThat(done).allSatisfy(e -> assertThat(e.result()).isEqualTo(new InvocationResult.Success(json("\"slept\""))));
        assertThat(done.stream().filter(Execution::coldStart).count()).isEqualTo(2);
        assertThat(runtime.instances()).isEqualTo(2);
    }

    @Test
    void anInstanceIdleForKeepWarmIsReaped() {
        // given
        FunctionDef counter = function("fn.Counter", "keep-warm: 1m\n");
        run(counter, "{}");

        // when
        clock.tick(Duration.ofSeconds(59));
        runtime.reapIdle();
        int beforeKeepWarm = runtime.instances();
        clock.tick(Duration.ofSeconds(1));
        runtime.reapIdle();

        // then
        assertThat(beforeKeepWarm).isEqualTo(1);
        assertThat(runtime.instances()).isZero();
        Execution next = run(counter, "{}");
        assertThat(next.coldStart()).isTrue();
        assertThat(next.result()).as("a new class loader, so fresh statics").isEqualTo(new InvocationResult.Success(json("1")));
    }

    @Test
    void aHandlerClassThatIsNotThereIsAFunctionError() {
        // when
        Execution execution = run(function("fn.Missing", ""), "{}");

        // then
        assertThat(execution.result()).isInstanceOfSatisfying(InvocationResult.Failure.class, f -> {
            assertThat(f.type()).isEqualTo("FunctionError");
            assertThat(f.message()).startsWith("Expected java function 'f' to have a handler class 'fn.Missing' in [")
                    .endsWith("function.jar], but there is none");
        });
        assertThat(runtime.instances()).isZero();
    }

    @Test
    void afterCloseActivationsAreUnavailable() {
        // given
        runtime.close();

        // when
        Execution execution = run(function("fn.Counter", ""), "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("Unavailable",
                "java function 'f' was not run: the java runtime of this node is shut down"));
    }

    private Execution run(FunctionDef function, String input) {
        return runtime.invoke(RuntimeFixtures.job(function, input, Duration.ofSeconds(30))).join();
    }

    private static FunctionDef function(String handler, String moreYaml) {
        return RuntimeFixtures.function("function: f\nruntime: java\ncode: function.jar\nhandler: " + handler + "\n" + moreYaml);
    }

    private static JsonNode success(Execution execution) {
        assertThat(execution.result()).isInstanceOf(InvocationResult.Success.class);
        return ((InvocationResult.Success) execution.result()).result();
    }
}
