package dev.tributary.dsl.source;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads definition text — YAML (several documents separated by {@code ---}) or JSON (one object,
 * or an array of them) — into JSON trees that remember where every value stood. Enforces the
 * {@link ParseLimits}; never throws for bad input, it reports {@link Problem}s instead.
 */
public final class DefinitionParser {

    private final ParseLimits limits;

    public DefinitionParser(ParseLimits limits) {
        this.limits = limits;
    }

    /**
     * @param fileName shown in problems and chooses the syntax: {@code .json} is JSON, anything
     *                 else YAML (of which JSON is a subset, so an unnamed request body works too)
     */
    public ParsedFile parse(String fileName, String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxBytes()) {
            return new ParsedFile(List.of(), List.of(new Problem(SourceLocation.startOf(fileName), "",
                    "the file is " + bytes + " bytes, over the limit 'definition size' of " + limits.maxBytes() + " bytes")));
        }
        return fileName.toLowerCase().endsWith(".json")
                ? new JsonTreeReader(fileName, limits).read(text)
                : new YamlTreeReader(fileName, limits).read(text);
    }
}
