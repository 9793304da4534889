package dev.tributary.dsl.source;

/**
 * Bounds enforced while reading definition text (SPEC §4), so a hostile file fails fast with a
 * named limit instead of exhausting memory.
 *
 * @param maxBytes  size of one file or request body
 * @param maxDepth  nesting depth of objects and arrays
 * @param maxAliases YAML aliases to collections (the billion-laughs bound)
 * @param maxValues values in one document after aliases are expanded
 */
public record ParseLimits(int maxBytes, int maxDepth, int maxAliases, int maxValues) {

    public static ParseLimits defaults() {
        return new ParseLimits(1024 * 1024, 64, 50, 200_000);
    }
}
