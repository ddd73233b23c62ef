package dev.junction.config;

/** What an aggregate list does when one upstream fails or is too slow. */
public enum FailureMode {
  /** Leave the upstream out, tell the client with a logging notification, answer with the rest. */
  OPEN("open"),
  /** Fail the whole request, naming the upstream. */
  CLOSED("closed");

  private final String key;

  FailureMode(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  static FailureMode of(String key) {
    for (FailureMode m : values()) {
      if (m.key.equals(key)) {
        return m;
      }
    }
    return null;
  }
}
