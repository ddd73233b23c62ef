package dev.junction.ingress;

import dev.junction.error.JunctionError;

/**
 * A request turned away by authentication: its status and JSON-RPC error come from
 * {@code error}, its {@code WWW-Authenticate} value is {@code challenge} (may be null). Messages
 * never contain a token. A value: no stack trace.
 */
final class AuthFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final JunctionError error;
  final String challenge;

  AuthFailure(JunctionError error, String detail, String challenge) {
    super(detail, null, false, false);
    this.error = error;
    this.challenge = challenge;
  }
}
