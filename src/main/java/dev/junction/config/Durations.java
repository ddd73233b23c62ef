package dev.junction.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written as {@code 250ms}, {@code 60s}, {@code 30m}, {@code 2h}, or plain milliseconds. */
final class Durations {
  static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private Durations() {
  }

  private static final Map<String, Long> MILLIS = Map.of("ms", 1L, "s", 1_000L, "m", 60_000L, "h", 3_600_000L);

  /** Milliseconds, or -1 when the value is not a duration. */
  static long parseMillis(Object value) {
    return parse(value, FORM, MILLIS);
  }

  /**
   * A whole number with an optional unit, as matched by {@code form} (group 1 the number, group 2
   * the unit), times the unit's factor (1 without a unit); -1 when the value is none.
   */
  static long parse(Object value, Pattern form, Map<String, Long> factors) {
    if (value instanceof Number n) {
      return n.longValue() >= 0 ? n.longValue() : -1;
    }
    if (!(value instanceof String s)) {
      return -1;
    }
    Matcher m = form.matcher(s.trim());
    if (!m.matches()) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    return m.group(2) == null ? n : n * factors.get(m.group(2));
  }

  static String format(long millis) {
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }
}
