package dev.tributary.dsl.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.expr.ValueTemplate;
import java.time.Duration;
import java.util.List;

/**
 * A workflow: steps chained by order, {@code next}, conditions, waits, branches and fan-out (SPEC §2.4).
 *
 * @param inputSchema JSON Schema 2020-12 a run's input must satisfy, or null
 * @param timeout     bound on a whole run, or null for none
 * @param output      what a successful run returns; null means the run's {@code data}
 * @param on          triggers that start this workflow (shorthand for rules)
 */
public record WorkflowDef(
        String name,
        String description,
        JsonNode inputSchema,
        Duration timeout,
        ValueTemplate output,
        List<TriggerBinding> on,
        List<Step> steps) implements Definition {

    public WorkflowDef {
        on = List.copyOf(on);
        steps = List.copyOf(steps);
    }

    @Override
    public Kind kind() {
        return Kind.WORKFLOW;
    }

    /** An {@code on:} entry: start this workflow when the trigger fires (and the condition holds). */
    public record TriggerBinding(String trigger, Condition condition, ValueTemplate with) {
    }
}
