package dev.tributary.dsl.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The published JSON Schema (draft 2020-12) of the DSL, for editor completion and a first,
 * structural check of a document. It is served at {@code /api/v1/schema/dsl.json}. The
 * definition validator remains the authority: it also checks what a schema cannot (references,
 * reachability, cron and expression syntax) and reports with file, line and column.
 */
public final class DslSchema {

    /** The schema's {@code $id}. */
    public static final String ID = "https://tributary.dev/schema/dsl.json";

    private static final String RESOURCE = "/dev/tributary/dsl/schema/dsl.schema.json";
    private static final String TEXT = load();

    // Compiled once; a Schema whose validators are initialised is safe to share between threads.
    private static final Schema SCHEMA = compile();

    private DslSchema() {
    }

    /** The schema document, as shipped. */
    public static String json() {
        return TEXT;
    }

    /**
     * Checks one definition document (a function, workflow, trigger or rule) against the schema.
     *
     * @return one message per violation, each starting with the JSON pointer of the offending
     *         value ({@code /steps/0/retry: ...}, or {@code document: ...} for the document
     *         itself); empty when the document conforms
     */
    public static List<String> validate(JsonNode document) {
        // The validator is built on Jackson 3 and the DSL's trees on Jackson 2: hand it the text.
        List<Error> errors = SCHEMA.validate(document.toString(), InputFormat.JSON);
        return errors.stream().map(DslSchema::describe).toList();
    }

    private static String describe(Error error) {
        String location = error.getInstanceLocation().toString();
        return (location.isEmpty() ? "document" : location) + ": " + error.getMessage();
    }

    private static Schema compile() {
        SchemaRegistry registry = SchemaRegistry.withDialect(Dialects.getDraft202012(),
                builder -> builder.schemas(Map.of(ID, TEXT)));
        Schema schema = registry.getSchema(SchemaLocation.of(ID));
        schema.initializeValidators();
        return schema;
    }

    private static String load() {
        try (InputStream in = DslSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Expected the DSL schema on the class path at " + RESOURCE + ", but it is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to read the DSL schema at " + RESOURCE + ", but reading failed", e);
        }
    }
}
