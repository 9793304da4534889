package dev.tributary.dsl.bench;

import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.load.DefinitionLoader;
import dev.tributary.dsl.load.KnownNames;
import dev.tributary.dsl.load.LoadResult;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.source.ParseLimits;
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
 * Parse + validate of a generated 200-step workflow (YAML), as a deploy does it, with one loader
 * as a server holds it. Each operation's text differs (a generation number inside every
 * expression), so expression compilation is measured rather than served from the cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LoadBenchmark {

    private DefinitionLoader loader;
    private long generation;

    @Setup
    public void createLoader() {
        loader = new DefinitionLoader(Expressions.sandboxed(), ParseLimits.defaults());
    }

    @Benchmark
    public LoadResult parseAndValidate200Steps() {
        List<SourceText> set = List.of(new SourceText("big.yaml", workflow(200, ++generation)));
        LoadResult result = loader.load(set, KnownNames.NONE);
        if (!result.ok()) {
            throw new IllegalStateException("generated workflow is invalid: " + result.problems());
        }
        return result;
    }

    /** A workflow mixing every common step kind, with an expression in most steps. */
    static String workflow(int steps, long generation) {
        StringBuilder y = new StringBuilder("""
                function: work
                runtime: expr
                expr: "${ { 'n': input.n + 1 } }"
                ---
                workflow: big
                input:
                  schema: { type: object, required: [n], properties: { n: { type: integer } } }
                steps:
                """);
        for (int i = 0; i < steps; i++) {
            String name = "s" + i;
            switch (i % 5) {
                case 0 -> y.append("  - name: ").append(name).append("\n    call: work\n    with: { n: \"${ data.n + ").append(i).append(" + ").append(generation)
                        .append(" }\" }\n    retry: { max-attempts: 3, delay: 1s }\n    catch: [ { errors: [Timeout], next: s")
                        .append(i + 1).append(" } ]\n");
                case 1 -> y.append("  - name: ").append(name).append("\n    switch:\n      - when: ${ data.n > ").append(i)
                        .append(" + ").append(generation).append(" && data.tier == 'gold' }\n        next: s").append(i + 1).append("\n      - default: s").append(i + 1).append("\n");
                case 2 -> y.append("  - name: ").append(name).append("\n    set: { label: \"step ${ data.n } of ").append(i)
                        .append("\", total: \"${ data.n * 2 }\" }\n");
                case 3 -> y.append("  - name: ").append(name).append("\n    wait: 1s\n    if: ${ data.n % 2 == 0 }\n");
                default -> y.append("  - name: ").append(name).append("\n    parallel:\n      branches:\n        - steps: [ { name: ")
                        .append(name).append("a, call: work } ]\n        - steps: [ { name: ").append(name)
                        .append("b, set: { x: \"${ data.n }\" } } ]\n");
            }
        }
        return y.toString();
    }
}
