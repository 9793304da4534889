package dev.tributary.dsl.model;

import java.time.Duration;
import java.util.List;

/**
 * One step of a workflow: what it does ({@link Action}) and how control and data flow around it.
 *
 * @param condition skip the step (recorded as skipped) unless this holds; null for always
 * @param next      where control goes after the step; null for the following step in its list
 * @param end       complete the run successfully after this step
 * @param result    where the step's result goes in {@code data}; {@link ResultPath#DISCARD} for steps without one
 * @param timeout   bound on the step (call, workflow, parallel, foreach); null for the function's own
 * @param retry     for call and workflow steps; {@link RetryPolicy#NONE} elsewhere
 * @param catchers  {@code catch} entries in order; the first that matches handles the error
 */
public record Step(
        String name,
        String description,
        Condition condition,
        Action action,
        String next,
        boolean end,
        ResultPath result,
        Duration timeout,
        RetryPolicy retry,
        List<Catcher> catchers) {

    public Step {
        catchers = List.copyOf(catchers);
    }
}
