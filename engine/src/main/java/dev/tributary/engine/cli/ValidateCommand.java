package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.load.DefinitionLoader;
import dev.tributary.dsl.load.KnownNames;
import dev.tributary.dsl.load.LoadResult;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.model.Definition;
import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.source.ParseLimits;
import dev.tributary.dsl.source.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code trib validate FILE...}: offline validation of a deploy set. Prints
 * {@code file:line:col: path: message} per problem and exits 1 if there are any.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check definition files offline, as one deploy set.",
                "Directories are searched for .yaml, .yml and .json files.",
                "Exit status: 0 valid, 1 problems found, 2 files could not be read."})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "definition files or directories")
    List<Path> paths;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json")
    OutputFormat output = OutputFormat.table;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<SourceText> files;
        try {
            files = DefinitionFiles.read(paths);
        } catch (DefinitionFiles.Unreadable e) {
            spec.commandLine().getErr().println("trib: " + e.getMessage());
            return 2;
        }
        if (files.isEmpty()) {
            spec.commandLine().getErr().println("trib: no .yaml, .yml or .json files in " + paths.stream().map(Path::toString)
                    .collect(Collectors.joining(", ")));
            return 2;
        }
        LoadResult result = new DefinitionLoader(Expressions.sandboxed(), ParseLimits.defaults()).load(files, KnownNames.NONE);
        if (output == OutputFormat.json) {
            out.println(json(result, files.size()));
        } else if (result.ok()) {
            out.println("OK: " + files.size() + (files.size() == 1 ? " file, " : " files, ") + summary(result.definitions()));
        } else {
            result.problems().forEach(out::println);
            out.println(result.problems().size() + (result.problems().size() == 1 ? " problem" : " problems")
                    + " in " + files.size() + (files.size() == 1 ? " file" : " files"));
        }
        out.flush();
        return result.ok() ? 0 : 1;
    }

    private static String summary(List<Definition> definitions) {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        definitions.forEach(d -> counts.merge(d.kind(), 1L, Long::sum));
        if (counts.isEmpty()) {
            return "no definitions";
        }
        return counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().key() + (e.getValue() == 1 ? "" : "s"))
                .collect(Collectors.joining(", "));
    }

    private static String json(LoadResult result, int fileCount) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("ok", result.ok());
        root.put("files", fileCount);
        ArrayNode definitions = root.putArray("definitions");
        result.definitions().forEach(d -> definitions.addObject().put("kind", d.kind().key()).put("name", d.name()));
        ArrayNode problems = root.putArray("problems");
        for (Problem p : result.problems()) {
            problems.addObject()
                    .put("file", p.location().file())
                    .put("line", p.location().line())
                    .put("column", p.location().column())
                    .put("path", p.path())
                    .put("message", p.message());
        }
        return root.toString();
    }
}
