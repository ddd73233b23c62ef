package dev.junction.binding;

/** Byte sizes written as {@code 16MiB}, {@code 512KiB}, {@code 1GiB}, {@code 100B} or plain bytes. Pure. */
public final class Sizes {
  private Sizes() {
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
}
