package dev.tributary.engine.core;

import dev.tributary.dsl.model.Action;
import dev.tributary.dsl.model.Step;
import dev.tributary.dsl.model.WorkflowDef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow version prepared for interpretation: every step (branches and foreach bodies
 * included) found by name, with the list it stands in. Made once per loaded version; immutable.
 */
public final class WorkflowPlan {

    private final WorkflowDef definition;
    private final int version;
    private final Map<String, Placed> steps = new HashMap<>();

    private WorkflowPlan(WorkflowDef definition, int version) {
        this.definition = definition;
        this.version = version;
        index(definition.steps());
    }

    public static WorkflowPlan of(WorkflowDef definition, int version) {
        return new WorkflowPlan(definition, version);
    }

    public WorkflowDef definition() {
        return definition;
    }

    public String name() {
        return definition.name();
    }

    public int version() {
        return version;
    }

    /** A step and its place: the list holding it and its index there. */
    record Placed(Step step, List<Step> list, int index) {
    }

    Placed step(String name) {
        Placed placed = steps.get(name);
        if (placed == null) {
            throw new IllegalStateException("Expected step '" + name + "' in workflow '" + name() + "@" + version
                    + "', but it has no such step");
        }
        return placed;
    }

    private void index(List<Step> list) {
        for (int i = 0; i < list.size(); i++) {
            Step step = list.get(i);
            steps.put(step.name(), new Placed(step, list, i));
            if (step.action() instanceof Action.Parallel parallel) {
                parallel.branches().forEach(b -> index(b.steps()));
            } else if (step.action() instanceof Action.Foreach foreach) {
                index(foreach.steps());
            }
        }
    }
}
