package dev.junction.bus;

import java.util.List;

/**
 * How a reload ended: {@code applied} (a new version), {@code unchanged} (the file says what runs
 * already), or {@code rejected} (the file is invalid or unreadable: nothing changed, and
 * {@code errors} lists every problem with its key path). {@code needsRestart} names the changed
 * settings that cannot change in place; they keep their running values while the rest applies.
 *
 * @param outcome {@code applied}, {@code unchanged} or {@code rejected}
 * @param version the config version that runs after the reload
 * @param errors the problems of a rejected file, each with its key path; else empty
 * @param needsRestart the changed keys that apply only after a restart; else empty
 */
public record ReloadReply(String outcome, long version, List<String> errors, List<String> needsRestart)
    implements BusMessage {
  /** The outcome of a reload that made a new version. */
  public static final String APPLIED = "applied";
  /** The outcome of a reload whose file says what runs already. */
  public static final String UNCHANGED = "unchanged";
  /** The outcome of a reload whose file is invalid. */
  public static final String REJECTED = "rejected";

  public ReloadReply {
    errors = List.copyOf(errors);
    needsRestart = List.copyOf(needsRestart);
  }

  /** True when the file was applied or already ran. */
  public boolean accepted() {
    return !REJECTED.equals(outcome);
  }
}
