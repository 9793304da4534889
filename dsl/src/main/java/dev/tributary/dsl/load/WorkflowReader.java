package dev.tributary.dsl.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.expr.ValueTemplate;
import dev.tributary.dsl.model.Condition;
import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.model.Step;
import dev.tributary.dsl.model.WorkflowDef;
import dev.tributary.dsl.source.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a {@code workflow:} document (SPEC §2.4) and checks its flow. */
final class WorkflowReader {

    static final List<String> FIELDS = List.of("workflow", "description", "input", "timeout", "output", "on", "steps");

    private WorkflowReader() {
    }

    static WorkflowDef read(Fields f, References refs, SchemaCheck schemas) {
        int before = f.report().count();
        String name = f.name("workflow", Names.RESOURCE, Names.RESOURCE_RULE);
        String description = f.string("description");
        JsonNode schema = inputSchema(f, schemas);
        Duration timeout = f.duration("timeout", null);
        ValueTemplate output = f.template("output");
        List<WorkflowDef.TriggerBinding> on = bindings(f, refs);
        StepReader reader = new StepReader(f, refs);
        List<Step> steps = f.missing("steps", "the workflow's list of steps") ? null : reader.list(f.get("steps"), f.at("steps"));
        f.rejectUnread("a workflow", FIELDS);
        if (steps != null) {
            new FlowCheck(f.report(), reader.names()).check(steps, f.at("steps"));
        }
        if (f.report().count() > before || name == null || steps == null) {
            return null;
        }
        return new WorkflowDef(name, description, schema, timeout, output, on, steps);
    }

    private static JsonNode inputSchema(Fields f, SchemaCheck schemas) {
        Fields input = f.child("input", "{schema: <JSON Schema>}");
        if (input == null) {
            return null;
        }
        JsonNode schema = input.get("schema");
        input.rejectUnread("a workflow's input", List.of("schema"));
        if (schema == null) {
            return null;
        }
        if (!schema.isObject() && !schema.isBoolean()) {
            f.report().atValue(input.at("schema"), "'schema' must be a JSON Schema (an object), got " + Json.describe(schema));
            return null;
        }
        for (SchemaCheck.Error e : schemas.check(schema)) {
            String at = e.path().isEmpty() ? input.at("schema") : input.at("schema") + (e.path().startsWith("[") ? "" : ".") + e.path();
            f.report().atValue(at, "not a valid JSON Schema 2020-12: " + e.message());
        }
        return schema;
    }

    private static List<WorkflowDef.TriggerBinding> bindings(Fields f, References refs) {
        JsonNode on = f.get("on");
        List<WorkflowDef.TriggerBinding> out = new ArrayList<>();
        if (on == null) {
            return out;
        }
        if (!on.isArray()) {
            f.report().atValue(f.at("on"), "'on' is a list of triggers, each {trigger: <name>, if, with}; got " + Json.describe(on));
            return out;
        }
        for (int i = 0; i < on.size(); i++) {
            String at = Paths.index(f.at("on"), i);
            JsonNode entry = on.get(i);
            if (entry.isTextual()) {
                refs.add(Kind.TRIGGER, entry.asText(), at, f.report());
                out.add(new WorkflowDef.TriggerBinding(entry.asText(), null, null));
                continue;
            }
            Fields b = Fields.of(entry, at, f.report(), f.expressions(), "{trigger: <name>, if, with}");
            if (b == null) {
                continue;
            }
            String trigger = b.missing("trigger", "the trigger that starts this workflow") ? null
                    : b.name("trigger", Names.RESOURCE, Names.RESOURCE_RULE);
            Condition condition = b.condition("if");
            ValueTemplate with = b.template("with");
            b.rejectUnread("an 'on' entry", List.of("trigger", "if", "with"));
            if (trigger != null) {
                refs.add(Kind.TRIGGER, trigger, b.at("trigger"), f.report());
                out.add(new WorkflowDef.TriggerBinding(trigger, condition, with));
            }
        }
        return out;
    }
}
