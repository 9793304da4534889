package dev.tributary.engine.node;

import dev.tributary.functions.Metering;
import java.util.Objects;

/**
 * How a node runs functions.
 *
 * @param allowPrivateHttp  let http functions reach loopback, private and link-local addresses ({@code --allow-private-http})
 * @param pricePerGbSecond  what one GB-second costs, for activations' {@code cost}
 * @param python            the python interpreter to run (resolved once to the real binary, never a shim per start)
 * @param node              the node binary
 */
public record FunctionSettings(boolean allowPrivateHttp, double pricePerGbSecond, String python, String node) {

    public FunctionSettings {
        Objects.requireNonNull(python, "python");
        Objects.requireNonNull(node, "node");
        new Metering(pricePerGbSecond); // checks the price
    }

    public static FunctionSettings defaults() {
        return new FunctionSettings(false, Metering.DEFAULT_PRICE_PER_GB_SECOND, "python3", "node");
    }

    /** Prices activations at {@link #pricePerGbSecond}. */
    public Metering metering() {
        return new Metering(pricePerGbSecond);
    }
}
