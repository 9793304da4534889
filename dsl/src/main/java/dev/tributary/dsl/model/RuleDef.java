package dev.tributary.dsl.model;

import dev.tributary.dsl.expr.ValueTemplate;

/**
 * "When {@code trigger} fires and {@code condition} holds, call a function or start a workflow
 * with this input" (SPEC §2.6).
 *
 * @param condition null for always
 * @param with      the input; null means the event's {@code data}
 */
public record RuleDef(
        String name,
        String description,
        String trigger,
        Condition condition,
        Target target,
        ValueTemplate with,
        boolean enabled) implements Definition {

    @Override
    public Kind kind() {
        return Kind.RULE;
    }

    /** What a rule runs: a function ({@code call:}) or a workflow ({@code workflow:}). */
    public record Target(Kind kind, Ref ref) {
    }
}
