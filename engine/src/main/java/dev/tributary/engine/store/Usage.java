package dev.tributary.engine.store;

import java.util.List;

/**
 * What functions used in a time range: per function (by name, in name order) and in total.
 *
 * @param total the sum of {@code functions}
 */
public record Usage(List<FunctionUsage> functions, ActivationTotals total) {

    public record FunctionUsage(String function, ActivationTotals totals) {
    }

    public static Usage of(List<FunctionUsage> functions) {
        ActivationTotals total = ActivationTotals.ZERO;
        for (FunctionUsage f : functions) {
            total = total.plus(f.totals());
        }
        return new Usage(List.copyOf(functions), total);
    }
}
