package dev.junction.config;

/** What an aggregate list does when one upstream fails or is too slow. */
public enum FailureMode {
  /** Leave the upstream out, tell the client with a logging notification, answer with the rest. */
  OPEN,
  /** Fail the whole request, naming the upstream. */
  CLOSED
}
