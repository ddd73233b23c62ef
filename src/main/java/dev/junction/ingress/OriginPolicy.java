package dev.junction.ingress;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * DNS-rebinding protection (basic/transports, "Security Warning"): a request without Origin is
 * allowed (not a browser); a present Origin must be a loopback one or listed in config. Immutable.
 */
final class OriginPolicy {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
  private final Set<String> allowed;

  OriginPolicy(List<String> allowed) {
    this.allowed = Set.copyOf(allowed);
  }

  boolean allows(String origin) {
    if (origin == null) {
      return true;
    }
    if (allowed.contains(origin) || allowed.contains("*")) {
      return true;
    }
    try {
      URI uri = new URI(origin);
      String host = uri.getHost();
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && host != null && LOOPBACK.contains(host);
    } catch (Exception e) {
      return false;
    }
  }
}
