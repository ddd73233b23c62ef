package dev.junction.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written as {@code 250ms}, {@code 60s}, {@code 30m}, {@code 2h}, or plain milliseconds. */
final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private Durations() {
  }

  /** Milliseconds, or -1 when the value is not a duration. */
  static long parseMillis(Object value) {
    if (value instanceof Number n) {
      return n.longValue() >= 0 ? n.longValue() : -1;
    }
    if (!(value instanceof String s)) {
      return -1;
    }
    Matcher m = FORM.matcher(s.trim());
    if (!m.matches()) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit) {
      case "s" -> n * 1_000;
      case "m" -> n * 60_000;
      case "h" -> n * 3_600_000;
      default -> n;
    };
  }

  static String format(long millis) {
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }
}
