package dev.junction.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes written as {@code 16MiB}, {@code 512KiB}, {@code 1GiB}, {@code 100B} or plain bytes. Pure. */
public final class Sizes {
  private static final Pattern FORM = Pattern.compile("(\\d{1,10})\\s*(B|KiB|MiB|GiB)?");
  private static final long KIB = 1024;

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
    if (!m.matches()) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    return switch (unit) {
      case "KiB" -> n * KIB;
      case "MiB" -> n * KIB * KIB;
      case "GiB" -> n * KIB * KIB * KIB;
      default -> n;
    };
  }

  /** The size in the largest unit that divides it: {@code 16 MiB}, {@code 1536 KiB}, {@code 100 B}. */
  public static String format(long bytes) {
    String[] units = {"GiB", "MiB", "KiB"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (10 * (units.length - i));
      if (bytes > 0 && bytes % unit == 0) {
        return bytes / unit + " " + units[i];
      }
    }
    return bytes + " B";
  }

  /** The size as the config spells it: {@code 16MiB}, {@code 100B}. */
  static String key(long bytes) {
    return format(bytes).replace(" ", "");
  }
}
