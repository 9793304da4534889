package dev.tributary.dsl.model;

import java.util.List;

/**
 * A {@code catch} entry: errors of these types are handled by writing the error object
 * ({@code {type, message, step, attempt}}) to {@code result} and going on at {@code next}
 * (or the step's usual successor when {@code next} is absent).
 */
public record Catcher(List<String> errors, ResultPath result, String next) {

    /** Matches every error type. */
    public static final String ANY = "any";

    public Catcher {
        errors = List.copyOf(errors);
    }

    public boolean matches(String errorType) {
        return errors.contains(ANY) || errors.contains(errorType);
    }
}
