package dev.tributary.dsl.model;

import java.util.List;

/**
 * Where a step writes its result in the run's {@code data}: a dotted path such as
 * {@code order.receipt} (intermediate objects are created), or nowhere ({@code result: false}).
 */
public record ResultPath(List<String> segments) {

    public static final ResultPath DISCARD = new ResultPath(List.of());

    public ResultPath {
        segments = List.copyOf(segments);
    }

    public static ResultPath of(String dotted) {
        return new ResultPath(List.of(dotted.split("\\.", -1)));
    }

    public boolean discards() {
        return segments.isEmpty();
    }

    @Override
    public String toString() {
        return discards() ? "false" : String.join(".", segments);
    }
}
