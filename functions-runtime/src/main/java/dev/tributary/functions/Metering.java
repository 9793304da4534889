package dev.tributary.functions;

import java.time.Duration;

/**
 * Prices activations: GB-seconds are {@code memoryMb / 1024 × seconds}, the cost is GB-seconds
 * times the price per GB-second (SPEC §5; Lambda's x86 price by default).
 */
public record Metering(double pricePerGbSecond) {

    public static final double DEFAULT_PRICE_PER_GB_SECOND = 0.0000166667;

    public Metering {
        if (!(pricePerGbSecond >= 0) || Double.isInfinite(pricePerGbSecond)) {
            throw new IllegalArgumentException("Expected a price per GB-second of 0 or more, but got " + pricePerGbSecond);
        }
    }

    public static Metering defaults() {
        return new Metering(DEFAULT_PRICE_PER_GB_SECOND);
    }

    public double gbSeconds(int memoryMb, Duration duration) {
        return memoryMb / 1024.0 * (duration.toNanos() / 1e9);
    }

    public double cost(double gbSeconds) {
        return gbSeconds * pricePerGbSecond;
    }
}
