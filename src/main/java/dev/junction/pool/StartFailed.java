package dev.junction.pool;

import dev.junction.error.JunctionException;
import dev.junction.error.Outcome;

/** A session start whose handshake did not complete, with how its initialize request ended. */
final class StartFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final transient Outcome outcome;
  /** The upstream's WWW-Authenticate value when it refused the credentials, or null. */
  final String challenge;

  StartFailed(Outcome outcome, String message, String challenge) {
    super(message, null, false, false);
    this.outcome = outcome;
    this.challenge = challenge;
  }

  /** The start failure behind a failed lease, or null. */
  static StartFailed of(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof StartFailed f) {
        return f;
      }
    }
    return null;
  }

  /** Whether a session start failed without reaching the upstream at all (refused, process gone or not spawned). */
  static boolean unreachable(Throwable err) {
    if (err instanceof JunctionException je) {
      return je.getCause() != null && unreachable(je.getCause());
    }
    return !(err instanceof StartFailed f) || f.outcome == Outcome.DISCONNECTED;
  }

  /** Whether a session start failed because the upstream did not answer in time. */
  static boolean timedOut(Throwable err) {
    return err instanceof StartFailed f && f.outcome == Outcome.TIMEOUT;
  }
}
