package dev.junction.upstream.http;

import java.net.URI;

/**
 * An upstream's URL, taken apart once: what every request to it sets.
 *
 * @param uri the path and query, at least {@code /}
 */
record Target(String host, int port, String uri, boolean ssl) {
  static Target of(String url) {
    URI u = URI.create(url);
    boolean ssl = "https".equalsIgnoreCase(u.getScheme());
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    return new Target(u.getHost(), u.getPort() > 0 ? u.getPort() : ssl ? 443 : 80,
        u.getRawQuery() == null ? path : path + "?" + u.getRawQuery(), ssl);
  }
}
