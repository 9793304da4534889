package dev.tributary.dsl.model;

/** How many failed iterations a {@code foreach} accepts: a count, or a percentage of all iterations. */
public record Tolerance(int amount, boolean percent) {

    public static final Tolerance NONE = new Tolerance(0, false);

    public boolean allows(int failures, int iterations) {
        if (percent) {
            return failures * 100L <= (long) amount * iterations;
        }
        return failures <= amount;
    }

    @Override
    public String toString() {
        return percent ? amount + "%" : Integer.toString(amount);
    }
}
