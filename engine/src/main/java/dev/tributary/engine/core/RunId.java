package dev.tributary.engine.core;

/** Which run, of which workflow version. */
public record RunId(String id, String workflow, int version) {
}
