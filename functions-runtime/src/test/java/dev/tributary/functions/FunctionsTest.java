package dev.tributary.functions;

import static dev.tributary.functions.FunctionFixtures.exprFunction;
import static dev.tributary.functions.FunctionFixtures.invocation;
import static dev.tributary.functions.FunctionFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.dsl.model.FunctionDef;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
}
