package dev.junction.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One config key, written on the record component that holds it: its YAML name, default, bounds
 * and documentation. {@link Binder} reads the YAML by these, {@link ConfigSchema} writes the JSON Schema
 * from them and {@link ConfigJson} shows the values, so a key is described in this one place.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
@interface Key {
  /** What the key does (the schema's description). */
  String doc();

  /** The YAML key, when it is not the component's name (e.g. {@code connectTimeout} for {@code connectTimeoutMs}). */
  String name() default "";

  /** The default, written as in the file ({@code 30s}, {@code 16MiB}, {@code [ping]}, {@code null}); empty: none. */
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

  /** A record whose keys sit in the enclosing section itself (e.g. the pool limits under {@code pool:}). */
  boolean inline() default false;

  /** Absent keys come from the top-level section of the same record type (per-upstream overrides). */
  boolean inherit() default false;

  /** How a number is written. */
  enum Unit { NONE, MILLIS, BYTES }

  /** A key that has moved out of the annotated record's section. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface Moved {
    String key();

    /** Where it went, relative to the section's parent. */
    String to();
  }
}
