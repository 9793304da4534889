package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.api.FakeEngine;
import dev.tributary.engine.api.TestApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FnCommandTest {

    private final FakeEngine engine = new FakeEngine().withFunction("greet").withFunction("payments.charge");
    private final TestApi api = new TestApi(engine);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void listsFunctions() {
        CliRun run = CliRun.against(api, "fn", "list");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).hasSize(3);
        assertThat(run.outLines().get(0)).startsWith("NAME").contains("VERSION", "RUNTIME", "DEPLOYED");
        assertThat(run.outLines().get(1)).startsWith("greet").contains("expr");
        assertThat(run.outLines().get(2)).startsWith("payments.charge");
    }

    @Test
    void invokesAFunctionAndPrintsItsResult() {
        CliRun run = CliRun.against(api, "fn", "invoke", "payments.charge", "--input", "{\"amount\": 5}");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("\"echo\"").contains("\"amount\" : 5");
        assertThat(engine.invokeInputs.get(0).toString()).isEqualTo("{\"amount\":5}");
    }

    @Test
    void exits1WhenTheActivationFailed() {
        CliRun run = CliRun.against(api, "fn", "invoke", "greet", "--input", "{\"fail\": true}");
        CliRun json = CliRun.against(api, "fn", "invoke", "greet", "--input", "{\"fail\": true}", "-o", "json");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().trim()).isEqualTo("trib: activation a-1 of greet error: FunctionError: asked to fail");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(json.out()).startsWith("{\"activation\":");
    }

    @Test
    void namesAnUnknownFunction() {
        CliRun run = CliRun.against(api, "fn", "invoke", "nope");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().trim()).isEqualTo("trib: Expected to invoke function 'nope', but there is no such function");
    }
}
