package dev.junction.binding;

/**
 * An enum whose constants code also names by their YAML spelling (in messages, hashes and JSON):
 * {@code key()} is what {@link Binder#key(Enum)} makes of the constant.
 */
public interface Keyed {
  /** The constant as the YAML spells it: {@code STREAMABLE_HTTP} is {@code streamable-http}. */
  default String key() {
    return Binder.key((Enum<?>) this);
  }
}
