package dev.tributary.functions.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.load.DefinitionLoader;
import dev.tributary.dsl.load.KnownNames;
import dev.tributary.dsl.load.LoadResult;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.source.ParseLimits;
import dev.tributary.functions.Invocation;
import dev.tributary.functions.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Functions read from YAML the way a deploy reads them, jobs for them, and process facts from /proc. */
final class WorkerFixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final DefinitionLoader LOADER = new DefinitionLoader(Expressions.sandboxed(), ParseLimits.defaults());
    private static final AtomicInteger ACTIVATIONS = new AtomicInteger();

    private WorkerFixtures() {
    }

    static FunctionDef function(String yaml) {
        LoadResult result = LOADER.load(List.of(new SourceText("fn.yaml", yaml)), KnownNames.NONE);
        if (!result.ok()) {
            throw new IllegalArgumentException(result.problems().toString());
        }
        return (FunctionDef) result.definitions().get(0);
    }

    /** A python function named {@code name} with the given source (indented into the YAML) and extra YAML lines. */
    static FunctionDef python(String name, String source, String... limits) {
        return inline(name, "python", source, limits);
    }

    static FunctionDef node(String name, String source, String... limits) {
        return inline(name, "node", source, limits);
    }

    private static FunctionDef inline(String name, String runtime, String source, String... limits) {
        StringBuilder yaml = new StringBuilder("function: " + name + "\nruntime: " + runtime + "\n");
        for (String line : limits) {
            yaml.append(line).append('\n');
        }
        yaml.append("source: |\n");
        source.lines().forEach(line -> yaml.append("  ").append(line).append('\n'));
        return function(yaml.toString());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Job job(FunctionDef function, String inputJson) {
        return job(function, inputJson, Map.of());
    }

    static Job job(FunctionDef function, String inputJson, Map<String, String> env) {
        String id = "act-" + ACTIVATIONS.incrementAndGet();
        Invocation invocation = new Invocation(function, 1, json(inputJson), id, "run-1/step/1", 1, "run-1", "step", null);
        return new Job(invocation, env, invocation.effectiveTimeout());
    }

    /** Live processes (zombies left out) descending from this JVM. */
    static List<ProcessHandle> descendants() {
        return ProcessHandle.current().descendants().filter(p -> p.isAlive() && !isZombie(p.pid())).toList();
    }

    /** Live (not zombie) processes whose process group is {@code pgid}. */
    static List<Long> processGroup(long pgid) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .filter(pid -> stat(pid).map(fields -> fields.length > 4 && !"Z".equals(fields[2])
                            && Long.parseLong(fields[4]) == pgid).orElse(false))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isZombie(long pid) {
        return stat(pid).map(fields -> fields.length > 2 && "Z".equals(fields[2])).orElse(true);
    }

    /** /proc/pid/stat split into fields, the command name (which may hold spaces) as one field. */
    private static java.util.Optional<String[]> stat(long pid) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = text.lastIndexOf(')');
            String rest = text.substring(close + 2);
            String[] tail = rest.split(" ");
            String[] fields = new String[tail.length + 2];
            fields[0] = Long.toString(pid);
            fields[1] = text.substring(text.indexOf('(') + 1, close);
            System.arraycopy(tail, 0, fields, 2, tail.length);
            return java.util.Optional.of(fields);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
