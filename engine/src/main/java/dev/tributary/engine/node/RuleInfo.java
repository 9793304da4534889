package dev.tributary.engine.node;

/**
 * A rule as {@code GET /rules} shows it.
 *
 * @param version   0 for a workflow's {@code on:} entry (it is part of the workflow)
 * @param target    {@code workflow} or {@code function}
 * @param condition the {@code if} expression, or null
 */
public record RuleInfo(String name, int version, String trigger, String target, String targetName, String condition,
                       boolean enabled, String fromWorkflow) {
}
