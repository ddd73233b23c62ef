package dev.junction.config;

import java.util.Map;
import java.util.regex.Pattern;

/** Byte sizes written as {@code 16MiB}, {@code 512KiB}, {@code 1GiB}, {@code 100B} or plain bytes. Pure. */
public final class Sizes {
  static final Pattern FORM = Pattern.compile("(\\d{1,10})\\s*(B|KiB|MiB|GiB)?");
  private static final long KIB = 1024;

  private Sizes() {
  }

  private static final Map<String, Long> BYTES = Map.of("B", 1L, "KiB", KIB, "MiB", KIB * KIB, "GiB", KIB * KIB * KIB);

  /** Bytes, or -1 when the value is not a size. */
  static long parseBytes(Object value) {
    return Durations.parse(value, FORM, BYTES);
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
