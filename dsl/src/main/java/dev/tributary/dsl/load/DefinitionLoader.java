package dev.tributary.dsl.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.model.Definition;
import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.source.DefinitionParser;
import dev.tributary.dsl.source.ParseLimits;
import dev.tributary.dsl.source.ParsedFile;
import dev.tributary.dsl.source.Problem;
import dev.tributary.dsl.source.SourceDocument;
import dev.tributary.dsl.source.SourceLocation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads and validates a deploy set — one or more files of definitions deployed together — into
 * definitions, or reports every problem with its file, line, column and path. References between
 * documents resolve within the set, against {@link KnownNames} and the built-in connectors.
 * Thread-safe.
 */
public final class DefinitionLoader {

    private final DefinitionParser parser;
    private final Expressions expressions;
    private final SchemaCheck schemas = new SchemaCheck();

    public DefinitionLoader(Expressions expressions, ParseLimits limits) {
        this.parser = new DefinitionParser(limits);
        this.expressions = expressions;
    }

    public LoadResult load(Collection<SourceText> files, KnownNames deployed) {
        List<Problem> problems = new ArrayList<>();
        List<Read> read = new ArrayList<>();
        References refs = new References();
        for (SourceText file : files) {
            ParsedFile parsed = parser.parse(file.name(), file.text());
            problems.addAll(parsed.problems());
            for (SourceDocument doc : parsed.documents()) {
                Report report = new Report(doc.map(), problems);
                Definition definition = document(doc, report, refs);
                if (definition != null) {
                    read.add(new Read(definition, doc.map().keyAt(definition.kind().key())));
                }
            }
        }
        Map<Kind, Map<String, SourceLocation>> defined = duplicates(read, problems);
        for (References.Reference ref : refs.all()) {
            if (!resolves(ref, defined, deployed)) {
                Set<String> candidates = new java.util.HashSet<>(defined.getOrDefault(ref.kind(), Map.of()).keySet());
                if (ref.kind() == Kind.FUNCTION) {
                    candidates.addAll(KnownNames.BUILT_IN_FUNCTIONS);
                }
                ref.report().atValue(ref.path(), "unknown " + ref.kind().key() + " '" + ref.name()
                        + "': not in this deploy set and not deployed" + Suggestions.hint(ref.name(), candidates));
            }
        }
        problems.sort(Problem.IN_FILE_ORDER);
        return problems.isEmpty()
                ? new LoadResult(read.stream().map(Read::definition).toList(), List.of())
                : new LoadResult(List.of(), problems);
    }

    private record Read(Definition definition, SourceLocation location) {
    }

    private Definition document(SourceDocument doc, Report report, References refs) {
        JsonNode tree = doc.tree();
        if (!tree.isObject()) {
            report.atValue("", "a definition document is an object with one kind key (function, workflow, trigger or rule), got "
                    + Json.describe(tree));
            return null;
        }
        // A rule names its trigger and workflow with those kinds' keys, so 'rule' decides.
        List<Kind> kinds = tree.has(Kind.RULE.key()) ? List.of(Kind.RULE)
                : Stream.of(Kind.values()).filter(k -> tree.has(k.key())).toList();
        if (kinds.size() != 1) {
            if (kinds.isEmpty()) {
                List<String> keys = Stream.of(Kind.values()).map(Kind::key).toList();
                String hint = stream(tree.fieldNames()).map(k -> Suggestions.closest(k, keys)).flatMap(java.util.Optional::stream)
                        .findFirst().map(k -> " (did you mean '" + k + "'?)").orElse("");
                report.atValue("", "a definition needs one kind key — function, workflow, trigger or rule — naming it" + hint);
            } else {
                report.atKey(kinds.get(1).key(), "a definition has exactly one kind key, but '" + kinds.get(0).key() + "' and '"
                        + kinds.get(1).key() + "' are both given; separate documents with ---");
            }
            return null;
        }
        Fields f = Fields.of(tree, "", report, expressions, "a definition");
        return switch (kinds.get(0)) {
            case FUNCTION -> FunctionReader.read(f);
            case WORKFLOW -> WorkflowReader.read(f, refs, schemas);
            case TRIGGER -> TriggerReader.read(f);
            case RULE -> RuleReader.read(f, refs);
        };
    }

    private static Map<Kind, Map<String, SourceLocation>> duplicates(List<Read> read, List<Problem> problems) {
        Map<Kind, Map<String, SourceLocation>> defined = new EnumMap<>(Kind.class);
        for (Read r : read) {
            Definition d = r.definition();
            SourceLocation first = defined.computeIfAbsent(d.kind(), k -> new HashMap<>()).putIfAbsent(d.name(), r.location());
            if (first != null) {
                problems.add(new Problem(r.location(), d.kind().key(), d.kind().key() + " '" + d.name()
                        + "' is defined twice in this deploy set (first at " + first + ")"));
            }
        }
        return defined;
    }

    private static boolean resolves(References.Reference ref, Map<Kind, Map<String, SourceLocation>> defined, KnownNames deployed) {
        return defined.getOrDefault(ref.kind(), Map.of()).containsKey(ref.name())
                || deployed.has(ref.kind(), ref.name())
                || (ref.kind() == Kind.FUNCTION && KnownNames.BUILT_IN_FUNCTIONS.contains(ref.name()));
    }

    private static Stream<String> stream(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out.stream();
    }
}
