package dev.tributary.engine.store;

/** How many activations, and what they used and cost together. */
public record ActivationTotals(long activations, double gbSeconds, double cost) {

    public static final ActivationTotals ZERO = new ActivationTotals(0, 0, 0);

    public ActivationTotals plus(ActivationTotals other) {
        return new ActivationTotals(activations + other.activations, gbSeconds + other.gbSeconds, cost + other.cost);
    }
}
