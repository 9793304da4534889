package dev.tributary.dsl.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What an expression sees: the variables {@code input}, {@code data}, {@code event}, {@code item} (or its alias) and
 * {@code index}, {@code error}, {@code run}, plus the clock, the UUID source and the secrets behind the built-in
 * functions. Immutable; the values are Jackson trees that expressions only read (never mutate them afterwards
 * either: an evaluation may return sub-trees of them as they are).
 *
 * <p>The interpreter is deterministic: {@code now()} reads only {@link Builder#now(Instant)} and {@code uuid()} only
 * {@link Builder#uuids(Supplier)} (default: random UUIDs).
 */
public final class EvalContext {

    private static final String DEFAULT_ALIAS = "item";

    private final JsonNode input;
    private final JsonNode data;
    private final JsonNode event;
    private final JsonNode error;
    private final JsonNode run;
    private final String itemAlias;
    private final JsonNode item;
    private final int index;
    private final Instant now;
    private final Supplier<String> uuids;
    private final SecretResolver secrets;
    private final Redactions redactions;

    // The script-side views of the variables, made once per context rather than per evaluation.
    final Object inputValue;
    final Object dataValue;
    final Object eventValue;
    final Object errorValue;
    final Object runValue;
    final Object itemValue;
    final Object indexValue;

    private EvalContext(Builder b, Redactions redactions) {
        this(b.input, b.data, b.event, b.error, b.run, b.itemAlias, b.item, b.index, b.now, b.uuids, b.secrets,
                redactions);
    }

    private EvalContext(JsonNode input, JsonNode data, JsonNode event, JsonNode error, JsonNode run,
                        String itemAlias, JsonNode item, int index, Instant now, Supplier<String> uuids,
                        SecretResolver secrets, Redactions redactions) {
        this.input = input;
        this.data = data;
        this.event = event;
        this.error = error;
        this.run = run;
        this.itemAlias = itemAlias;
        this.item = item;
        this.index = index;
        this.now = now;
        this.uuids = uuids;
        this.secrets = secrets;
        this.redactions = redactions;
        this.inputValue = JsonValues.toScript(input);
        this.dataValue = JsonValues.toScript(data);
        this.eventValue = JsonValues.toScript(event);
        this.errorValue = JsonValues.toScript(error);
        this.runValue = JsonValues.toScript(run);
        this.itemValue = JsonValues.toScript(item);
        this.indexValue = itemAlias == null ? null : index;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A copy bound to one foreach element (cheap: the other variables' views are shared, and so is
     * {@link #redactions()}).
     */
    public EvalContext withItem(String alias, JsonNode item, int index) {
        return new EvalContext(input, data, event, error, run, aliasOrDefault(alias), item, index, now, uuids, secrets,
                redactions);
    }

    /** The secret values resolved so far while evaluating with this context (and its {@link #withItem} copies). */
    public Redactions redactions() {
        return redactions;
    }

    /** The value of a script variable, or null for any name that is not bound. */
    Object variable(String name) {
        switch (name) {
            case "data":
                return dataValue;
            case "input":
                return inputValue;
            case "event":
                return eventValue;
            case "error":
                return errorValue;
            case "run":
                return runValue;
            case "index":
                return indexValue;
            default:
                return name.equals(itemAlias) ? itemValue : null;
        }
    }

    Instant now() {
        return now;
    }

    Supplier<String> uuids() {
        return uuids;
    }

    SecretResolver secrets() {
        return secrets;
    }

    private static String aliasOrDefault(String alias) {
        return alias == null || alias.isBlank() ? DEFAULT_ALIAS : alias;
    }

    /** Builds an {@link EvalContext}; every variable is optional (an unset one evaluates to null). */
    public static final class Builder {
        private JsonNode input;
        private JsonNode data;
        private JsonNode event;
        private JsonNode error;
        private JsonNode run;
        private String itemAlias;
        private JsonNode item;
        private int index;
        private Instant now;
        private Supplier<String> uuids = () -> UUID.randomUUID().toString();
        private SecretResolver secrets = SecretResolver.NONE;

        private Builder() {
        }

        public Builder input(JsonNode input) {
            this.input = input;
            return this;
        }

        public Builder data(JsonNode data) {
            this.data = data;
            return this;
        }

        public Builder event(JsonNode event) {
            this.event = event;
            return this;
        }

        /** Binds {@code alias} (default {@code item}) to {@code item} and {@code index} to {@code index}. */
        public Builder item(String alias, JsonNode item, int index) {
            this.itemAlias = aliasOrDefault(alias);
            this.item = item;
            this.index = index;
            return this;
        }

        public Builder error(JsonNode error) {
            this.error = error;
            return this;
        }

        public Builder run(JsonNode run) {
            this.run = run;
            return this;
        }

        /** The instant {@code now()} returns; without one, {@code now()} fails. */
        public Builder now(Instant now) {
            this.now = now;
            return this;
        }

        public Builder uuids(Supplier<String> uuids) {
            this.uuids = Objects.requireNonNull(uuids, "uuids");
            return this;
        }

        public Builder secrets(SecretResolver secrets) {
            this.secrets = Objects.requireNonNull(secrets, "secrets");
            return this;
        }

        public EvalContext build() {
            return new EvalContext(this, new Redactions());
        }
    }
}
