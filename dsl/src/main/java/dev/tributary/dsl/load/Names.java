package dev.tributary.dsl.load;

import dev.tributary.dsl.model.Ref;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shapes of names in the DSL, with the words that explain them. */
final class Names {

    static final Pattern RESOURCE = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    static final String RESOURCE_RULE = "lower-case letters, digits and '-', starting with a letter, at most 63 characters";

    static final Pattern FUNCTION = Pattern.compile("(?=.{1,63}$)[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");
    static final String FUNCTION_RULE = "lower-case letters, digits and '-', starting with a letter, dots between parts "
            + "(e.g. payments.charge), at most 63 characters";

    static final Pattern STEP = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,62}");
    static final String STEP_RULE = "letters, digits, '_' and '-', starting with a letter or '_', at most 63 characters";

    static final Pattern CONNECTOR = Pattern.compile("[a-z][a-z0-9._-]{0,62}");
    static final String CONNECTOR_RULE = "lower-case letters, digits, '.', '_' and '-', starting with a letter, at most 63 characters";

    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Pattern REF = Pattern.compile("(.+?)(?:@(\\d{1,9}))?");

    private Names() {
    }

    /** Splits {@code name@3}; null if the name part does not match {@code pattern}. */
    static Ref ref(String text, Pattern pattern) {
        Matcher m = REF.matcher(text);
        if (!m.matches() || !pattern.matcher(m.group(1)).matches()) {
            return null;
        }
        int version = m.group(2) == null ? Ref.LATEST : Integer.parseInt(m.group(2));
        return version == 0 && m.group(2) != null ? null : new Ref(m.group(1), version);
    }
}
