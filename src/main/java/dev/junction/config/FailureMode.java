package dev.junction.config;

import dev.junction.binding.Keyed;

/** What an aggregate list does when one upstream fails or is too slow. */
public enum FailureMode implements Keyed {
  /** Leave the upstream out, tell the client with a logging notification, answer with the rest. */
  OPEN,
  /** Fail the whole request, naming the upstream. */
  CLOSED
}
