package dev.junction.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one kind of token bucket: {@code count} tokens come back every {@code periodMs},
 * and a bucket holds at most {@code burst}. Written {@code 50/s}, {@code 300/m} or {@code 1000/h}
 * ({@code burst} is then the count), or {@code {rate: 50/s, burst: 100}}, or {@code off}. Immutable.
 *
 * @param count tokens per period; 0 only for {@link #OFF}
 * @param periodMs the period: 1 s, 1 min or 1 h
 * @param burst the most tokens a bucket holds (the calls a rested client may make at once)
 */
public record RateLimit(long count, long periodMs, long burst) {
  /** No limit. */
  public static final RateLimit OFF = new RateLimit(0, 1_000, 0);
  /** The largest count or burst accepted. */
  public static final long MAX = 1_000_000_000L;

  private static final Pattern FORM = Pattern.compile("(\\d{1,10})\\s*/\\s*(s|m|h)");

  public RateLimit {
    if (count < 0 || count > MAX || burst < 0 || burst > MAX || (count == 0) != (burst == 0)) {
      throw new IllegalArgumentException("a rate limit needs a count and a burst from 1 to " + MAX);
    }
    if (periodMs != 1_000 && periodMs != 60_000 && periodMs != 3_600_000) {
      throw new IllegalArgumentException("a rate limit's period is 1s, 1m or 1h");
    }
  }

  /** True for {@link #OFF}. */
  public boolean off() {
    return count == 0;
  }

  /** The same rate with another burst. */
  public RateLimit withBurst(long burst) {
    return new RateLimit(count, periodMs, burst);
  }

  /** The rate as the config spells it: {@code 50/s}, or {@code off}. */
  public String rate() {
    return off() ? "off" : count + "/" + (periodMs == 1_000 ? "s" : periodMs == 60_000 ? "m" : "h");
  }

  /** The limit as the config spells it: {@code 50/s} when the burst is the count, else {@code 50/s burst 100}. */
  @Override
  public String toString() {
    return off() || burst == count ? rate() : rate() + " burst " + burst;
  }

  /** A rate written {@code 50/s}, {@code 300/m} or {@code 1000/h} (burst: the count), or null when it is not one. */
  static RateLimit parseRate(String text) {
    Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    long count = Long.parseLong(m.group(1));
    if (count < 1 || count > MAX) {
      return null;
    }
    long period = switch (m.group(2)) {
      case "s" -> 1_000;
      case "m" -> 60_000;
      default -> 3_600_000;
    };
    return new RateLimit(count, period, count);
  }
}
