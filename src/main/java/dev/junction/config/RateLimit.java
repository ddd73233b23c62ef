package dev.junction.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.binding.Binder;
import dev.junction.binding.Key;
import dev.junction.binding.Schema;
import java.util.List;
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
@Key.Form(RateLimit.Yaml.class)
public record RateLimit(long count, long periodMs, long burst) {
  /** No limit. */
  public static final RateLimit OFF = new RateLimit(0, 1_000, 0);
  /** The largest count or burst accepted. */
  public static final long MAX = 1_000_000_000L;

  static final Pattern FORM = Pattern.compile("(\\d{1,10})\\s*/\\s*(s|m|h)");

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

  /** How a rate limit is written in the config, and its schema. */
  static final class Yaml implements Binder.Form<RateLimit> {
    @Override
    public RateLimit read(JsonNode node, String path, List<String> errors) {
      return RateLimit.read(node, path, errors);
    }

    /** A rate, {@code false} (YAML 1.1 reads a bare off so), or the long form. */
    @Override
    public JsonNode schema() {
      ObjectNode schema = JsonNodeFactory.instance.objectNode();
      schema.putArray("anyOf").add(schema.objectNode().put("type", "string").put("pattern", "^(?:" + FORM.pattern()
          + "|off)$")).add(schema.objectNode().put("const", false)).add(Schema.object(LongForm.class));
      return schema;
    }
  }

  /** The long form, for the schema only. */
  private record LongForm(
      @Key(required = true, doc = "50/s, 300/m or 1000/h, or off.") String rate,
      @Key(max = MAX, doc = "The most calls a rested client may make at once; default: the count.") long burst) {
  }

  /** {@code 50/s}, {@code {rate: 50/s, burst: 100}} or {@code off}; null (with an error) for anything else. */
  private static RateLimit read(JsonNode node, String path, List<String> errors) {
    if (!node.isObject()) {
      return rate(node, path, errors);
    }
    node.fieldNames().forEachRemaining(k -> {
      if (!k.equals("rate") && !k.equals("burst")) {
        errors.add(path + "." + k + ": unknown key");
      }
    });
    if (!node.hasNonNull("rate")) {
      errors.add(path + ".rate: required, a rate such as 50/s, 300/m or 1000/h");
      return null;
    }
    RateLimit limit = rate(node.get("rate"), path + ".rate", errors);
    JsonNode b = node.path("burst");
    if (limit == null || b.isMissingNode()) {
      return limit;
    }
    long burst = b.isInt() ? b.intValue() : b.isTextual() && b.asText().trim().matches("\\d{1,10}")
        ? Long.parseLong(b.asText().trim()) : -1;
    if (burst < 1 || burst > MAX) {
      errors.add(path + ".burst: must be a whole number from 1 to " + MAX);
      return null;
    }
    return limit.off() ? limit : limit.withBurst(burst);
  }

  private static RateLimit rate(JsonNode node, String path, List<String> errors) {
    // YAML 1.1 readers take a bare off for false
    String text = node.isBoolean() && !node.booleanValue() ? "off" : node.isTextual() ? node.asText() : "";
    Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (text.trim().equalsIgnoreCase("off")) {
      return OFF;
    } else if (m.matches() && Long.parseLong(m.group(1)) >= 1 && Long.parseLong(m.group(1)) <= MAX) {
      long count = Long.parseLong(m.group(1));
      return new RateLimit(count, m.group(2).equals("s") ? 1_000 : m.group(2).equals("m") ? 60_000 : 3_600_000, count);
    }
    errors.add(path + ": must be a rate such as 50/s, 300/m or 1000/h (whole numbers from 1 to " + MAX + "), or off");
    return null;
  }
}
