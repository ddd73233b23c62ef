package dev.junction.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes written as {@code 64MiB}, {@code 512KiB}, {@code 1GiB}, or plain bytes. Pure. */
final class Sizes {
  private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

  private Sizes() {
  }

  /** Bytes, or -1 when the value is not a size. */
  static long parseBytes(Object value) {
    if (value instanceof Number n) {
      return n.longValue() >= 0 ? n.longValue() : -1;
    }
    if (!(value instanceof String s)) {
      return -1;
    }
    Matcher m = FORM.matcher(s.trim());
    if (!m.matches() || m.group(1).length() > 12) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    return switch (unit) {
      case "KiB" -> n * 1024;
      case "MiB" -> n * 1024 * 1024;
      case "GiB" -> n * 1024 * 1024 * 1024;
      default -> n;
    };
  }
}
