package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers for people: GB-seconds and costs are tiny (a warm call costs ~1e-9), so they keep significant digits, not decimals. */
final class Decimals {

    private static final MathContext EIGHT_DIGITS = new MathContext(8);

    private Decimals() {
    }

    /** The number in {@code node} with at most 8 significant digits, never in E-notation; "-" when it is not a number. */
    static String significant(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return "-";
        }
        BigDecimal value = node.decimalValue();
        if (value.signum() == 0) {
            return "0";
        }
        return value.round(EIGHT_DIGITS).stripTrailingZeros().toPlainString();
    }

    /** Milliseconds with up to 3 decimals: {@code 12.345ms}. */
    static String millis(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return "-";
        }
        BigDecimal ms = node.decimalValue().setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
        return (ms.signum() == 0 ? "0" : ms.toPlainString()) + "ms";
    }
}
