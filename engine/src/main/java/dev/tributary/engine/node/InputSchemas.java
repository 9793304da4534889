package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.tributary.engine.core.WorkflowPlan;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a run's input against its workflow version's {@code input.schema} (JSON Schema 2020-12),
 * compiling each schema once. Remote {@code $ref}s are not fetched: a schema must not make the
 * node reach out to the network.
 */
final class InputSchemas {

    private final SchemaRegistry registry = SchemaRegistry.withDialect(Dialects.getDraft202012(),
            builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
    private final Map<WorkflowPlan, Schema> compiled = new ConcurrentHashMap<>();

    /** @throws EngineException INPUT_INVALID with one {@code {path, message}} detail per violation */
    void check(WorkflowPlan plan, JsonNode input) {
        JsonNode schemaNode = plan.definition().inputSchema();
        if (schemaNode == null) {
            return;
        }
        Schema schema = compiled.computeIfAbsent(plan, p -> compile(schemaNode));
        // The validator reads Jackson 3 trees and ours are Jackson 2: hand it the text.
        List<Error> errors = schema.validate(input.toString(), InputFormat.JSON);
        if (!errors.isEmpty()) {
            List<JsonNode> details = errors.stream().map(InputSchemas::detail).toList();
            throw new EngineException(EngineException.Code.INPUT_INVALID, "Expected the input of a run of workflow '"
                    + plan.name() + "@" + plan.version() + "' to match its input schema, but " + errors.get(0).getMessage()
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""), details);
        }
    }

    private Schema compile(JsonNode schemaNode) {
        Schema schema = registry.getSchema(schemaNode.toString(), InputFormat.JSON);
        schema.initializeValidators();
        return schema;
    }

    private static JsonNode detail(Error error) {
        String path = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        return Json.object().put("path", path).put("message", error.getMessage());
    }
}
