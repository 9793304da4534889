package dev.tributary.dsl.time;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the DSL's durations: ISO-8601 ({@code PT30S}, {@code P1D}, {@code PT1H30M}) and the
 * shorthand {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 3d}, {@code 1h30m}.
 */
public final class Durations {

    private static final Pattern SHORTHAND = Pattern.compile(
            "(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw invalid(text);
        }
        if (s.charAt(0) == 'P' || s.charAt(0) == 'p') {
            try {
                Duration d = Duration.parse(s);
                if (d.isNegative()) {
                    throw new IllegalArgumentException("duration '" + text + "' is negative");
                }
                return d;
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        Matcher m = SHORTHAND.matcher(s);
        if (!m.matches() || s.chars().noneMatch(Character::isDigit)) {
            throw invalid(text);
        }
        try {
            return Duration.ofDays(group(m, 1))
                    .plusHours(group(m, 2))
                    .plusMinutes(group(m, 3))
                    .plusSeconds(group(m, 4))
                    .plusMillis(group(m, 5));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration '" + text + "' is too long");
        }
    }

    /** Formats a duration in the shorthand, e.g. {@code 1h30m}, {@code 500ms}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long days = d.toDays();
        if (days > 0) b.append(days).append('d');
        if (d.toHoursPart() > 0) b.append(d.toHoursPart()).append('h');
        if (d.toMinutesPart() > 0) b.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0) b.append(d.toSecondsPart()).append('s');
        if (d.toMillisPart() > 0) b.append(d.toMillisPart()).append("ms");
        return b.toString();
    }

    private static long group(Matcher m, int i) {
        String g = m.group(i);
        return g == null ? 0 : Long.parseLong(g);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text
                + "' is not a duration; use ISO-8601 (PT30S, P1D, PT1H30M) or shorthand (500ms, 30s, 5m, 2h, 3d, 1h30m)");
    }
}
