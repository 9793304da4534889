package dev.tributary.dsl.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.tributary.dsl.source.DefinitionParser;
import dev.tributary.dsl.source.ParseLimits;
import dev.tributary.dsl.source.ParsedFile;
import dev.tributary.dsl.source.SourceDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The published DSL schema against the definition fixtures: every valid fixture conforms, every
 * invalid fixture marked {@code # schema: reject} in its header does not, and the schema itself
 * is a valid draft 2020-12 schema.
 */
class DslSchemaTest {

    /** Values that hold free-form JSON (inputs, data, nested JSON Schemas), not DSL fields. */
    private static final Set<String> FREE_FORM = Set.of("with", "set", "output", "env", "headers", "schema", "data");

    private final DefinitionParser parser = new DefinitionParser(ParseLimits.defaults());

    @TestFactory
    Stream<DynamicTest> every_document_of_every_valid_fixture_conforms() {
        return fixtures("valid").stream().map(file -> dynamicTest(file.getFileName().toString(), () -> {
            // given
            ParsedFile parsed = parse(file);
            assertThat(parsed.problems()).as("problems reading %s", file.getFileName()).isEmpty();
            assertThat(parsed.documents()).as("documents in %s", file.getFileName()).isNotEmpty();

            for (SourceDocument document : parsed.documents()) {
                // when
                List<String> errors = DslSchema.validate(document.tree());

                // then
                assertThat(errors).as("schema errors in %s, document %d", file.getFileName(), document.index()).isEmpty();
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> every_invalid_fixture_marked_schema_reject_fails_the_schema() {
        return fixtures("invalid").stream().filter(DslSchemaTest::markedSchemaReject)
                .map(file -> dynamicTest(file.getFileName().toString(), () -> {
                    // given
                    ParsedFile parsed = parse(file);

                    // when: text that cannot be read into documents (bad syntax, a limit) conforms
                    // to nothing, so its read problems count as rejections too
                    List<String> errors = Stream.concat(
                                    parsed.problems().stream().map(Object::toString),
                                    parsed.documents().stream().flatMap(document -> DslSchema.validate(document.tree()).stream()))
                            .toList();

                    // then
                    assertThat(errors).as("errors in %s (marked '# schema: reject')", file.getFileName()).isNotEmpty();
                }));
    }

    @Test
    void the_schema_is_a_valid_draft_2020_12_schema() {
        // given: the 2020-12 meta-schema, with format assertions on so every `pattern` must compile
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        Schema metaSchema = registry.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));

        // when
        List<Error> errors = metaSchema.validate(DslSchema.json(), InputFormat.JSON);
        List<Error> badType = metaSchema.validate("{\"$defs\": {\"a\": {\"type\": \"strin\"}}}", InputFormat.JSON);
        List<Error> badPattern = metaSchema.validate("{\"properties\": {\"a\": {\"pattern\": \"(unclosed\"}}}", InputFormat.JSON);

        // then
        assertThat(errors).isEmpty();
        assertThat(badType).as("the meta-schema rejects an unknown type").isNotEmpty();
        assertThat(badPattern).as("the meta-schema rejects a pattern that does not compile").isNotEmpty();
    }

    @Test
    void the_schema_rejects_documents_that_break_the_dsl() {
        // given
        Map<String, String> broken = Map.of(
                "no kind key", "name: orphan\n",
                "unknown field", "trigger: t\nevery: 5m\ncolour: blue\n",
                "two step kinds", "workflow: w\nsteps:\n  - name: a\n    call: f\n    set: { x: 1 }\n",
                "python without code", "function: f\nruntime: python\n",
                "bad duration", "trigger: t\nevery: five minutes\n",
                "catch on a switch", "workflow: w\nsteps:\n  - name: s\n    switch: [ { default: s } ]\n    catch: [ { errors: [any] } ]\n",
                "batch on a cron trigger", "trigger: t\ncron: \"0 0 * * * ?\"\nbatch: 5\n",
                "rule with call and workflow", "rule: r\ntrigger: t\ncall: f\nworkflow: w\n");

        broken.forEach((what, text) -> {
            // when
            List<String> errors = DslSchema.validate(parser.parse(what + ".yaml", text).documents().get(0).tree());

            // then
            assertThat(errors).as(what).isNotEmpty();
        });
    }

    @Test
    void the_valid_fixtures_use_every_field_and_enum_value_of_the_schema() {
        // given: every property name and enum value the schema declares
        JsonNode schema = readJson(DslSchema.json());
        Set<String> declaredFields = new TreeSet<>();
        Set<String> declaredValues = new TreeSet<>();
        collectDeclared(schema, declaredFields, declaredValues);

        // when: every field name and text value the fixtures use, outside free-form JSON
        Set<String> usedFields = new TreeSet<>();
        Set<String> usedValues = new TreeSet<>();
        for (Path file : fixtures("valid")) {
            parse(file).documents().forEach(document -> collectUsed(document.tree(), usedFields, usedValues));
        }

        // then
        assertThat(usedFields).as("fields used by the valid fixtures").containsAll(declaredFields);
        assertThat(usedValues).as("values used by the valid fixtures").containsAll(declaredValues);
    }

    @Test
    void the_valid_fixtures_include_json_files_and_at_least_twelve_yaml_files() {
        List<String> names = fixtures("valid").stream().map(p -> p.getFileName().toString()).toList();

        assertThat(names).filteredOn(n -> n.endsWith(".yaml")).hasSizeGreaterThanOrEqualTo(12);
        assertThat(names).filteredOn(n -> n.endsWith(".json")).isNotEmpty();
    }

    private ParsedFile parse(Path file) {
        try {
            return parser.parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code .yaml}, {@code .yml} and {@code .json} files of a fixture folder on the test class path; none if it is absent. */
    private static List<Path> fixtures(String folder) {
        URL url = DslSchemaTest.class.getResource("/" + folder);
        if (url == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.filter(p -> p.getFileName().toString().matches(".*\\.(ya?ml|json)"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the file's header (its leading comment lines) has the line {@code # schema: reject}. */
    private static boolean markedSchemaReject(Path file) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.trim();
                if (!trimmed.startsWith("#")) {
                    return false;
                }
                if (trimmed.substring(1).trim().equals("schema: reject")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectDeclared(JsonNode node, Set<String> fields, Set<String> values) {
        if (node.isObject()) {
            JsonNode properties = node.get("properties");
            if (properties != null && properties.isObject()) {
                properties.properties().forEach(property -> fields.add(property.getKey()));
            }
            JsonNode enumeration = node.get("enum");
            if (enumeration != null && enumeration.isArray()) {
                enumeration.forEach(v -> values.add(v.asText()));
            }
        }
        node.forEach(child -> collectDeclared(child, fields, values));
    }

    private static void collectUsed(JsonNode node, Set<String> fields, Set<String> values) {
        if (node.isObject()) {
            node.forEachEntry((name, value) -> {
                fields.add(name);
                if (!FREE_FORM.contains(name)) {
                    collectUsed(value, fields, values);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectUsed(element, fields, values));
        } else if (node.isTextual()) {
            values.add(node.asText());
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
