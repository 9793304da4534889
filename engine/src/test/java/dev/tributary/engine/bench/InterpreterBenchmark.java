package dev.tributary.engine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.expr.SecretResolver;
import dev.tributary.dsl.load.DefinitionLoader;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.model.WorkflowDef;
import dev.tributary.dsl.source.ParseLimits;
import dev.tributary.engine.core.Interpreter;
import dev.tributary.engine.core.InterpreterLimits;
import dev.tributary.engine.core.RunId;
import dev.tributary.engine.core.RunState;
import dev.tributary.engine.core.RunStateCodec;
import dev.tributary.engine.core.Signal;
import dev.tributary.engine.core.Transition;
import dev.tributary.engine.core.WorkflowPlan;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One interpreter step, as a node applies it: a run of three steps (set, call, set) answered by
 * its call's result — the copy of the state, the step and the run's end. Also the whole start of
 * a run whose steps are all instant, and the state's JSON round trip the store adds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InterpreterBenchmark {

    private static final String YAML = """
            workflow: three
            steps:
              - { name: a, set: { x: "${ input.n + 1 }" } }
              - { name: b, call: double, with: { v: "${ data.x }" } }
              - { name: c, set: { done: true } }
            ---
            workflow: instant
            steps:
              - { name: a, set: { x: "${ input.n + 1 }" } }
              - name: route
                switch:
                  - { when: "${ data.x > 1 }", next: big }
                  - { default: small }
              - { name: small, set: { size: small }, end: true }
              - { name: big, set: { size: big } }
            """;

    private Interpreter interpreter;
    private WorkflowPlan three;
    private WorkflowPlan instant;
    private RunState waiting;
    private String waitingJson;
    private JsonNode input;
    private JsonNode result;
    private final Instant at = Instant.parse("2026-01-01T00:00:00Z");

    @Setup
    public void setUp() throws Exception {
        var loaded = new DefinitionLoader(Expressions.sandboxed(), ParseLimits.defaults())
                .load(List.of(new SourceText("bench.yaml", YAML)), (kind, name) -> true);
        three = WorkflowPlan.of((WorkflowDef) loaded.definitions().get(0), 1);
        instant = WorkflowPlan.of((WorkflowDef) loaded.definitions().get(1), 1);
        interpreter = new Interpreter(InterpreterLimits.DEFAULTS, SecretResolver.NONE);
        ObjectMapper mapper = new ObjectMapper();
        input = mapper.readTree("{\"n\": 1, \"order\": {\"id\": \"o-1\", \"total\": 42.5}}");
        result = mapper.readTree("{\"v\": 4}");
        waiting = interpreter.step(three, null, new Signal.Start(new RunId("r-1", "three", 1), input, null, null, at)).state();
        waitingJson = RunStateCodec.write(waiting);
    }

    @Benchmark
    public Transition callAnswered() {
        return interpreter.step(three, waiting, new Signal.CallSucceeded("b#1", result, at));
    }

    @Benchmark
    public Transition instantRunStartToEnd() {
        return interpreter.step(instant, null, new Signal.Start(new RunId("r-2", "instant", 1), input, null, null, at));
    }

    @Benchmark
    public RunState stateJsonRoundTrip() {
        return RunStateCodec.read(RunStateCodec.write(waiting));
    }

    @Benchmark
    public RunState stateRead() {
        return RunStateCodec.read(waitingJson);
    }
}
