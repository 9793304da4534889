package dev.tributary.dsl.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import dev.tributary.dsl.source.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks a workflow's {@code input.schema} against the JSON Schema 2020-12 meta-schema (bundled, no network). */
final class SchemaCheck {

    record Error(String path, String message) {
    }

    private static final String META = "https://json-schema.org/draft/2020-12/schema";

    /** Compiled once per process: an initialised schema is immutable and safe to share. */
    private static final Schema meta = compileMeta();

    private static Schema compileMeta() {
        Schema schema = SchemaRegistry.withDialect(Dialects.getDraft202012()).getSchema(SchemaLocation.of(META));
        schema.initializeValidators();
        return schema;
    }

    /** What is wrong with {@code schema}, each at its path relative to the schema; empty if it is valid. */
    List<Error> check(JsonNode schema) {
        // The validator reads Jackson 3 trees and ours are Jackson 2: hand it the text.
        // One message per place: the meta-schema's alternatives otherwise repeat the same mistake.
        Map<String, Error> byPath = new LinkedHashMap<>();
        meta.validate(schema.toString(), InputFormat.JSON).forEach(e -> {
            String path = path(e.getInstanceLocation());
            byPath.putIfAbsent(path, new Error(path, e.getMessage()));
        });
        return List.copyOf(byPath.values());
    }

    private static String path(NodePath location) {
        String path = "";
        for (int i = 0; location != null && i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path = element instanceof Integer index ? Paths.index(path, index) : Paths.field(path, String.valueOf(element));
        }
        return path;
    }
}
