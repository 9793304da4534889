package dev.tributary.dsl.model;

/** One deployable resource: what a document of a definition file describes. */
public sealed interface Definition permits FunctionDef, WorkflowDef, TriggerDef, RuleDef {

    String name();

    String description();

    Kind kind();
}
