package dev.tributary.engine.cli;

/** {@code -o table|json}: tables for people, JSON for scripts. */
enum OutputFormat {
    table, json
}
