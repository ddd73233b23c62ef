package dev.junction.binding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One key, written on the record component that holds it: its YAML name, default, bounds and
 * documentation. {@link Binder} reads the YAML by these, {@link Schema} writes the JSON Schema
 * from them and {@link Show} shows the values, so a key is described in this one place.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Key {
  /** What the key does (the schema's description). */
  String doc();

  /**
   * Where the key sits in the section, when not under the component's name: a key
   * ({@code connectTimeout} for {@code connectTimeoutMs}) or a dotted path ({@code listen.port}).
   * For an {@link #inline()} record, the sub-mapping its keys sit in; empty: the section itself.
   */
  String name() default "";

  /** The default, written as in the file ({@code 30s}, {@code 16MiB}, {@code [ping]}); empty: none. */
  String value() default "";

  /** How a number is written: plain, a duration or a byte size. */
  Unit unit() default Unit.NONE;

  /** The least number, for whole numbers, durations, sizes and fractions; 1 unless set. */
  long min() default 1;

  long max() default Long.MAX_VALUE;

  /** A full-match regex for a string, each string of a list, or each name of a map. */
  String pattern() default "";

  /** The error for a bad value, after "must " ({@code %s}: the value); empty: a generic one. */
  String must() default "";

  boolean required() default false;

  /** The value is never shown ({@code ***}). */
  boolean secret() default false;

  /** A record whose keys sit in the enclosing section, not in a mapping of its own (see {@link #name()}). */
  boolean inline() default false;

  /** A record section that binds as null when it is absent: being there turns a feature on. */
  boolean optional() default false;

  /** Absent keys come from the top-level section of the same record type (per-upstream overrides). */
  boolean inherit() default false;

  /** The value is taken once, at start: a running program keeps the one it started with (see {@link Schema}). */
  boolean restart() default false;

  /** How a number is written: plain, a duration ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}) or a size. */
  enum Unit {
    NONE("(\\d{1,18})", Map.of(), "whole number"),
    MILLIS("(\\d{1,15})\\s*(ms|s|m|h)?", Map.of("ms", 1L, "s", 1_000L, "m", 60_000L, "h", 3_600_000L),
        "duration such as 30s"),
    BYTES("(\\d{1,10})\\s*(B|KiB|MiB|GiB)?", Map.of("B", 1L, "KiB", 1L << 10, "MiB", 1L << 20, "GiB", 1L << 30),
        "size such as 16MiB, 512KiB or a number of bytes");

    final Pattern form;
    private final Map<String, Long> factors;
    /** What a value must be, for errors. */
    public final String what;

    Unit(String form, Map<String, Long> factors, String what) {
      this.form = Pattern.compile(form);
      this.factors = factors;
      this.what = what;
    }

    /** A number, or a string of digits and a unit, times the unit's factor; -1 when it is neither. */
    public long parse(Object value) {
      if (value instanceof Number n) {
        return n.longValue() >= 0 ? n.longValue() : -1;
      }
      Matcher m = value instanceof String s ? form.matcher(s.trim()) : null;
      if (m == null || !m.matches()) {
        return -1;
      }
      long n = Long.parseLong(m.group(1));
      return m.groupCount() < 2 || m.group(2) == null ? n : n * factors.get(m.group(2));
    }

    /** The number as the YAML writes it: {@code 90s}, {@code 250ms}, {@code 16MiB}. */
    public String format(long n) {
      return this == MILLIS ? (n % 1000 == 0 ? n / 1000 + "s" : n + "ms")
          : this == BYTES ? Sizes.format(n).replace(" ", "") : String.valueOf(n);
    }
  }

  /** A key that has moved out of the annotated record's section. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface Moved {
    String key();

    /** Where it went, relative to the section's parent. */
    String to();
  }

  /** A value type that reads by a form of its own (a string such as {@code 50/s}), not key by key. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface Form {
    Class<? extends Binder.Form<?>> value();
  }
}
