package dev.tributary.dsl.expr;

import java.util.Optional;

/** Looks up a secret's value by name for the {@code secret(name)} function. */
@FunctionalInterface
public interface SecretResolver {

    /** No secrets at all. */
    SecretResolver NONE = name -> Optional.empty();

    Optional<String> resolve(String name);
}
