package dev.tributary.dsl.model;

/** A named source of events (SPEC §2.5). */
public record TriggerDef(String name, String description, TriggerSource source) implements Definition {

    @Override
    public Kind kind() {
        return Kind.TRIGGER;
    }
}
