package dev.tributary.functions;

import static dev.tributary.functions.FunctionFixtures.exprFunction;
import static dev.tributary.functions.FunctionFixtures.invocation;
import static dev.tributary.functions.FunctionFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.dsl.model.FunctionDef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FunctionsTest {

    private final Functions functions = Functions.withDefaults(Clock.systemUTC());

    @Test
    void runsAnExprFunction() {
        // when
        InvocationResult result = functions.invoke(invocation(exprFunction("${ input.x * 10 }"), "{\"x\": 7}")).join().result();

        // then
        assertThat(result).isEqualTo(new InvocationResult.Success(json("70")));
    }

    @Test
    void runtimesNotWrittenYetAreUnavailable() {
        // given
        FunctionDef python = FunctionFixtures.function("""
                function: hello
                runtime: python
                source: |
                  def main(args):
                      return args
                """);

        // when
        InvocationResult result = functions.invoke(invocation(python, "{}")).join().result();

        // then
        assertThat(result).isEqualTo(new InvocationResult.Failure("Unavailable",
                "the python runtime is not available on this node"));
    }

    @Test
    void builtInConnectorsAreUnavailableForNow() {
        // when
        InvocationResult result = functions.invoke(invocation(BuiltInFunctions.definition("table.put"), "{}")).join().result();

        // then
        assertThat(result).isInstanceOfSatisfying(InvocationResult.Failure.class, f -> {
            assertThat(f.type()).isEqualTo("Unavailable");
            assertThat(f.message()).contains("table.put");
        });
    }

    @Test
    void anInputOverTheLimitIsRefusedBeforeTheRuntimeRuns() {
        // given
        Functions strict = Functions.builder().maxInputBytes(8)
                .runtime(FunctionDef.Runtime.EXPR, inv -> { throw new AssertionError("must not run"); })
                .build();

        // when
        InvocationResult result = strict.invoke(invocation(exprFunction("${ 1 }"), "{\"long\": \"input\"}")).join().result();

        // then
        assertThat(result).isInstanceOfSatisfying(InvocationResult.Failure.class,
                f -> assertThat(f.type()).isEqualTo("LimitExceeded"));
    }

    @Test
    void anActivationPastItsTimeoutFailsWithTimeout() {
        // given a runtime that never answers
        Functions hanging = Functions.builder()
                .runtime(FunctionDef.Runtime.EXPR, job -> new CompletableFuture<>())
                .backstopGrace(Duration.ZERO)
                .build();

        // when
        InvocationResult result = hanging.invoke(invocation(exprFunction("${ 1 }"), "{}", Duration.ofMillis(20))).join().result();

        // then
        assertThat(result).isInstanceOfSatisfying(InvocationResult.Failure.class,
                f -> assertThat(f.type()).isEqualTo("Timeout"));
    }

    @Test
    void aRuntimeThatThrowsGivesAFailureNotAnException() {
        // given
        Functions throwing = Functions.builder()
                .runtime(FunctionDef.Runtime.EXPR, inv -> { throw new IllegalStateException("boom"); })
                .build();

        // when
        InvocationResult result = throwing.invoke(invocation(exprFunction("${ 1 }"), "{}")).join().result();

        // then
        assertThat(result).isEqualTo(new InvocationResult.Failure("FunctionError", "function 'calc' failed: boom"));
    }

    @Test
    void aSecretTheEnvReceivedIsMaskedInTheLogsAndErrorButReachesTheCode() {
        // given a runtime that prints its TOKEN and fails naming it
        FunctionDef function = FunctionFixtures.function("""
                function: leaky
                runtime: python
                source: |
                  def main(args):
                      return args
                env: { TOKEN: "${ secret('tok') }", PLAIN: visible }
                """);
        List<String> received = new CopyOnWriteArrayList<>();
        Functions leaky = Functions.builder()
                .secrets(name -> name.equals("tok") ? Optional.of("s3cr3t-value") : Optional.empty())
                .runtime(FunctionDef.Runtime.PYTHON, job -> {
                    received.add(job.env().get("TOKEN"));
                    return CompletableFuture.completedFuture(new Execution(new InvocationResult.Failure("ValueError",
                            "bad token s3cr3t-value"), Instant.EPOCH, Duration.ZERO, false,
                            "TOKEN=s3cr3t-value PLAIN=" + job.env().get("PLAIN") + "\n"));
                })
                .build();

        // when
        Activation activation = leaky.invoke(invocation(function, "{}")).join();

        // then
        assertThat(received).containsExactly("s3cr3t-value");
        assertThat(activation.logs()).isEqualTo("TOKEN=*** PLAIN=visible\n");
        assertThat(activation.result()).isEqualTo(new InvocationResult.Failure("ValueError", "bad token ***"));
    }
}
