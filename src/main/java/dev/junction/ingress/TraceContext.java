package dev.junction.ingress;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * W3C Trace Context ({@code traceparent}): the gateway continues the client's trace as a hop of
 * its own, a new parent id under the same trace id, which upstreams receive as an HTTP header and
 * in {@code params._meta.traceparent} (the only carrier stdio has). Pure, apart from randomness.
 */
final class TraceContext {
  private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final String INVALID_TRACE = "0".repeat(32);
  private static final String INVALID_PARENT = "0".repeat(16);
  private static final SecureRandom RANDOM = new SecureRandom();

  private TraceContext() {
  }

  /** The traceparent to send upstream for an incoming one, or null when it is absent or malformed. */
  static String child(String incoming) {
    if (incoming == null) {
      return null;
    }
    var m = TRACEPARENT.matcher(incoming.trim());
    if (!m.matches() || INVALID_TRACE.equals(m.group(1)) || INVALID_PARENT.equals(m.group(2))) {
      return null;
    }
    byte[] span = new byte[8];
    RANDOM.nextBytes(span);
    return "00-" + m.group(1) + "-" + HexFormat.of().formatHex(span) + "-" + m.group(3);
  }
}
