package dev.junction.config;

import static dev.junction.binding.Key.Unit.MILLIS;

import dev.junction.binding.Key;

/**
 * Multi round-trip requests bridged between protocol generations ({@code mrtr: {holdTimeout, stateKey}}):
 * a 2025 upstream's server-to-client request during a 2026-07-28 client's call becomes an input-required
 * result, and the upstream call waits for the client's retry.
 *
 * @param holdTimeoutMs how long an upstream call waits for the client's retry before it is cancelled
 * @param stateKey the HMAC key that protects {@code requestState}; every node of a cluster needs the same
 *     one. Null: a random key per process (a retry must then reach the node that answered)
 */
public record MrtrOptions(
    @Key(name = "holdTimeout", value = "5m", unit = MILLIS, doc = "How long an upstream call that asked the"
        + " client for input waits for its retry; then the call is cancelled upstream.") long holdTimeoutMs,
    @Key(name = "stateKey", secret = true, pattern = ".{32,}", must = "be at least 32 characters",
        doc = "The HMAC key that protects requestState (at least 32 characters; the same on every node of a"
        + " cluster); empty: random per process.") String stateKey) {

  public MrtrOptions {
    stateKey = stateKey == null || stateKey.isEmpty() ? null : stateKey;
  }
}
