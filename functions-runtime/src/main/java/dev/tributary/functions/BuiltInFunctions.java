package dev.tributary.functions;

import dev.tributary.dsl.load.KnownNames;
import dev.tributary.dsl.model.FunctionCode;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.FunctionLimits;
import java.util.Map;

/**
 * The built-in connector functions (SPEC §6: {@code table.put}, {@code queue.send}, ...). They
 * have no deployed definition, so callers describe one with {@link #definition}; {@link Functions}
 * recognises them by name before it looks at a runtime, and a built-in name always wins.
 */
public final class BuiltInFunctions {

    private BuiltInFunctions() {
    }

    public static boolean isBuiltIn(String name) {
        return KnownNames.BUILT_IN_FUNCTIONS.contains(name);
    }

    /**
     * A definition standing for a built-in connector, to put in an {@link Invocation}. Its
     * runtime is never read (connectors are routed by name); JAVA only because one is required.
     */
    public static FunctionDef definition(String name) {
        if (!isBuiltIn(name)) {
            throw new IllegalArgumentException("Expected a built-in connector function, but '" + name + "' is not one");
        }
        return new FunctionDef(name, "built-in connector", FunctionDef.Runtime.JAVA, FunctionCode.NONE, null,
                FunctionLimits.defaults(), Map.of(), null, null);
    }
}
