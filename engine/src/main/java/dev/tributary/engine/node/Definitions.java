package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.load.DefinitionLoader;
import dev.tributary.dsl.load.KnownNames;
import dev.tributary.dsl.load.LoadResult;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.model.Definition;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.model.WorkflowDef;
import dev.tributary.dsl.source.DefinitionParser;
import dev.tributary.dsl.source.ParseLimits;
import dev.tributary.dsl.source.Problem;
import dev.tributary.dsl.source.SourceDocument;
import dev.tributary.engine.core.WorkflowPlan;
import dev.tributary.engine.store.DefinitionRecord;
import dev.tributary.engine.store.RunStore;
import dev.tributary.functions.code.ArchiveLimits;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployed definitions of a node. A deploy is validated as a set (with the code its functions
 * name), stored as one JSON document per definition, and cached; the newest version of each name is loaded at start, older versions
 * (which runs in flight are pinned to) lazily on first use. Workflows are cached with their
 * {@link WorkflowPlan}. Deploys are serialised; lookups are lock-free.
 */
public final class Definitions {

    private static final Logger LOG = LoggerFactory.getLogger(Definitions.class);

    /** Stored documents were valid when deployed: reload them without resolving references again. */
    private static final KnownNames EVERYTHING = (kind, name) -> true;

    /** The field a stored function document carries its code's digest in (SPEC §2.3, set by the server). */
    static final String CODE_SHA256 = "code-sha256";

    private final RunStore store;
    private final Clock clock;
    private final UploadedCode uploadedCode;
    private final DefinitionParser parser;
    private final DefinitionLoader loader;
    private final Map<NameKey, Deployed> latest = new ConcurrentHashMap<>();
    private final Map<VersionKey, Deployed> versions = new ConcurrentHashMap<>();

    /** One stored version, read: its record, its definition and, for a workflow, its plan. */
    public record Deployed(DefinitionRecord record, Definition definition, WorkflowPlan plan) {

        public int version() {
            return record.version();
        }
    }

    private record NameKey(Kind kind, String name) {
    }

    private record VersionKey(Kind kind, String name, int version) {
    }

    public Definitions(RunStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.uploadedCode = new UploadedCode(store.code(), ArchiveLimits.DEFAULTS);
        this.parser = new DefinitionParser(ParseLimits.defaults());
        this.loader = new DefinitionLoader(Expressions.sandboxed(), ParseLimits.defaults());
    }

    /** Loads the newest version of every deployed definition (node start). */
    public void loadLatest() {
        for (DefinitionRecord record : store.latestDefinitions()) {
            read(record).ifPresent(this::remember);
        }
    }

    /**
     * Validates and stores a deploy set atomically, with the code its functions name: each
     * {@code code:} path needs its upload ({@link CodeUpload#resolve}); the code is stored by
     * digest first, then each such function's document with {@code code-sha256} added, so that
     * changed code makes a new version and unchanged code keeps the version.
     *
     * @throws EngineException INVALID_DEFINITION with one detail per problem (missing or unusable
     *                         code included); BAD_REQUEST for uploads no function names
     */
    public synchronized List<Engine.Deployed> deploy(List<SourceText> files, List<CodeUpload> code) {
        LoadResult result = loader.load(files, (kind, name) -> latest.containsKey(new NameKey(kind, name)));
        if (!result.ok()) {
            throw invalid(result.problems());
        }
        List<SourceDocument> documents = documents(files);
        List<Definition> definitions = new ArrayList<>(result.definitions());
        Map<Integer, String> digests = uploadedCode.store(CodeReference.in(documents, definitions), code);
        List<DefinitionRecord.Draft> drafts = new ArrayList<>();
        for (int i = 0; i < definitions.size(); i++) {
            Definition d = definitions.get(i);
            JsonNode document = documentOf(d, documents, i);
            String digest = digests.get(i);
            if (digest != null) {
                FunctionDef function = (FunctionDef) d;
                document = ((ObjectNode) document.deepCopy()).put(CODE_SHA256, digest);
                definitions.set(i, function.withCode(function.code().withSha256(digest)));
            }
            drafts.add(new DefinitionRecord.Draft(d.kind(), d.name(), document.toString(), clock.instant()));
        }
        List<DefinitionRecord> stored = store.deploy(drafts);
        List<Engine.Deployed> deployed = new ArrayList<>();
        for (DefinitionRecord record : stored) {
            Definition definition = definitions.stream()
                    .filter(d -> d.kind() == record.kind() && d.name().equals(record.name())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Expected the store to return only the deployed definitions, but it returned "
                            + record.kind().key() + " '" + record.name() + "'"));
            remember(new Deployed(record, definition, plan(definition, record.version())));
            deployed.add(new Engine.Deployed(record.kind().key(), record.name(), record.version()));
        }
        return deployed;
    }

    /** The newest version of a definition that is not deleted. */
    public Optional<Deployed> latest(Kind kind, String name) {
        return Optional.ofNullable(latest.get(new NameKey(kind, name)));
    }

    /** The newest versions of one kind, in deploy order of their names' first appearance. */
    public List<Deployed> latest(Kind kind) {
        return latest.values().stream().filter(d -> d.record().kind() == kind)
                .sorted(Comparator.comparing((Deployed d) -> d.record().deployedAt()).thenComparing(d -> d.record().name()))
                .toList();
    }

    /**
     * A version of a definition ({@code version} 0: the newest that is not deleted). An older or
     * deleted version is still found, for the runs pinned to it.
     */
    public Optional<Deployed> version(Kind kind, String name, int version) {
        if (version == 0) {
            return latest(kind, name);
        }
        VersionKey key = new VersionKey(kind, name, version);
        Deployed cached = versions.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Deployed> loaded = store.definition(kind, name, version).flatMap(this::read);
        loaded.ifPresent(d -> versions.putIfAbsent(key, d));
        return loaded;
    }

    public Optional<WorkflowPlan> plan(String workflow, int version) {
        return version(Kind.WORKFLOW, workflow, version).map(Deployed::plan);
    }

    public Optional<FunctionDef> function(String name, int version) {
        return version(Kind.FUNCTION, name, version).map(d -> (FunctionDef) d.definition());
    }

    /** Every stored version number of a definition that is not deleted, oldest first. */
    public List<Integer> versionNumbers(Kind kind, String name) {
        return store.versions(kind, name).stream().filter(r -> !r.deleted()).map(DefinitionRecord::version).toList();
    }

    /**
     * Stores a new version of a deployed rule with {@code enabled} set, unless it already has that
     * value. NOT_FOUND when there is no such rule.
     */
    public synchronized Deployed setRuleEnabled(String rule, boolean enabled) {
        Deployed current = latest(Kind.RULE, rule).orElseThrow(() -> new EngineException(EngineException.Code.NOT_FOUND,
                "There is no rule '" + rule + "'"));
        ObjectNode document = (ObjectNode) Json.parse(current.record().document());
        if (document.path("enabled").asBoolean(true) == enabled) {
            return current;
        }
        document.put("enabled", enabled);
        DefinitionRecord stored = store.deploy(List.of(new DefinitionRecord.Draft(Kind.RULE, rule, document.toString(),
                clock.instant()))).get(0);
        Deployed deployed = read(stored).orElseThrow(() -> new IllegalStateException("Expected rule '" + rule
                + "' to load after changing 'enabled', but it did not"));
        remember(deployed);
        return deployed;
    }

    /** Marks every version deleted; runs in flight keep theirs. */
    public synchronized boolean delete(Kind kind, String name) {
        boolean deleted = store.delete(kind, name);
        latest.remove(new NameKey(kind, name));
        return deleted;
    }

    private void remember(Deployed deployed) {
        DefinitionRecord r = deployed.record();
        versions.put(new VersionKey(r.kind(), r.name(), r.version()), deployed);
        if (!r.deleted()) {
            latest.merge(new NameKey(r.kind(), r.name()), deployed, (old, now) -> now.version() >= old.version() ? now : old);
        }
    }

    private Optional<Deployed> read(DefinitionRecord record) {
        LoadResult result = loader.load(List.of(new SourceText(record.name() + ".json", record.document())), EVERYTHING);
        if (!result.ok() || result.definitions().size() != 1) {
            LOG.error("Expected stored {} '{}' version {} to load, but: {}", record.kind().key(), record.name(),
                    record.version(), result.problems());
            return Optional.empty();
        }
        Definition definition = result.definitions().get(0);
        return Optional.of(new Deployed(record, definition, plan(definition, record.version())));
    }

    private static WorkflowPlan plan(Definition definition, int version) {
        return definition instanceof WorkflowDef workflow ? WorkflowPlan.of(workflow, version) : null;
    }

    /** Every document of the set, in file and document order: the order the loader returns definitions in. */
    private List<SourceDocument> documents(List<SourceText> files) {
        List<SourceDocument> documents = new ArrayList<>();
        for (SourceText file : files) {
            documents.addAll(parser.parse(file.name(), file.text()).documents());
        }
        return documents;
    }

    /** The document that defines {@code definition}, checked: its kind key names it. */
    private static JsonNode documentOf(Definition definition, List<SourceDocument> documents, int index) {
        JsonNode document = index < documents.size() ? documents.get(index).tree() : null;
        if (document == null || !definition.name().equals(document.path(definition.kind().key()).asText(null))) {
            throw new IllegalStateException("Expected the loader to return definitions in document order, but "
                    + definition.kind().key() + " '" + definition.name() + "' is not document " + index + " of the set");
        }
        return document;
    }

    static EngineException invalid(List<Problem> problems) {
        List<JsonNode> details = problems.stream().map(Definitions::detail).toList();
        String first = problems.get(0).toString();
        String message = problems.size() == 1
                ? "The definitions are not valid: " + first
                : "The definitions are not valid: " + problems.size() + " problems, the first: " + first;
        return new EngineException(EngineException.Code.INVALID_DEFINITION, message, details);
    }

    private static JsonNode detail(Problem problem) {
        return Json.object()
                .put("file", problem.location().file())
                .put("line", problem.location().line())
                .put("column", problem.location().column())
                .put("path", problem.path())
                .put("message", problem.message());
    }
}
