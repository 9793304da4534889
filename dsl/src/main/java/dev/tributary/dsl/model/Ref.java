package dev.tributary.dsl.model;

/**
 * A reference to a function or workflow by name, optionally pinned to a version:
 * {@code payments.charge} or {@code payments.charge@3}.
 *
 * @param version the pinned version, or {@link #LATEST}
 */
public record Ref(String name, int version) {

    public static final int LATEST = 0;

    public static Ref latest(String name) {
        return new Ref(name, LATEST);
    }

    public boolean isLatest() {
        return version == LATEST;
    }

    @Override
    public String toString() {
        return isLatest() ? name : name + "@" + version;
    }
}
