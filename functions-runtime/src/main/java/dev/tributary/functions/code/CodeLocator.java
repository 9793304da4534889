package dev.tributary.functions.code;

import dev.tributary.dsl.model.FunctionDef;

/**
 * Finds a function version's code on local disk, fetching and unpacking it first if this node has
 * not seen it. Code is immutable per content digest, so a located directory never changes under a
 * running worker, and a redeploy with other code gets another directory.
 */
@FunctionalInterface
public interface CodeLocator {

    /**
     * @throws CodeUnavailableException when the code cannot be found or unpacked; its message says
     *                                  which function and why
     */
    LocatedCode locate(FunctionDef function);
}
