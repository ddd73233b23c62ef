package dev.junction.config;

import java.util.List;

/** An invalid configuration: every problem found, each with the path of its key. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  public ConfigException(List<String> errors) {
    super("invalid configuration:\n  " + String.join("\n  ", errors), null, false, false);
    this.errors = List.copyOf(errors);
  }

  /** The problems, each as {@code path: what is wrong}. */
  public List<String> errors() {
    return errors;
  }
}
