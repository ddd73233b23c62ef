package dev.junction.testkit;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * A real OAuth 2.0 / OpenID Connect server for tests ({@code no.nav.security:mock-oauth2-server})
 * on 127.0.0.1: every path segment is an issuer with its own signing key, metadata, JWKS, token
 * endpoint (client credentials, token exchange, refresh tokens) and introspection.
 */
public final class Issuer implements AutoCloseable {
  private final MockOAuth2Server server;

  private Issuer(MockOAuth2Server server) {
    this.server = server;
  }

  /** Starts on a free port. */
  public static Issuer start() {
    return start(0, Set.of());
  }

  /**
   * Starts on a port (0: a free one). {@code callbacks} fix what the token endpoint issues per
   * issuer id (subject, audience, claims, lifetime); others get the server's defaults.
   */
  public static Issuer start(int port, Set<OAuth2TokenCallback> callbacks) {
    MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(false, null, null, false,
        new no.nav.security.mock.oauth2.token.OAuth2TokenProvider(), callbacks));
    // a restart on the same port may find it still held for a moment
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        server.start(InetAddress.getLoopbackAddress(), port);
        return new Issuer(server);
      } catch (Exception e) { // BindException comes through Kotlin unchecked
        if (port == 0 || System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot start the OAuth server", e);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
      }
    }
  }

  /** What the token endpoint of {@code issuerId} issues: fixed subject, audience, claims and lifetime. */
  public static OAuth2TokenCallback issues(String issuerId, String subject, String audience, Map<String, Object> claims,
      long lifetimeSeconds) {
    return new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", audience == null ? List.of() : List.of(audience),
        claims, lifetimeSeconds);
  }

  public int port() {
    return server.baseUrl().port();
  }

  /** The issuer URL of an issuer id, as its metadata names it. */
  public String issuer(String issuerId) {
    return server.issuerUrl(issuerId).toString();
  }

  public String tokenEndpoint(String issuerId) {
    return server.tokenEndpointUrl(issuerId).toString();
  }

  /** A signed access token (a JWT, header {@code typ: JWT}) of an issuer. */
  public String token(String issuerId, String subject, String audience, Map<String, Object> claims, long lifetimeSeconds) {
    return token(issuerId, "JWT", subject, audience, claims, lifetimeSeconds);
  }

  /** A signed token of an issuer with this header {@code typ} (e.g. {@code at+jwt}, RFC 9068). */
  public String token(String issuerId, String type, String subject, String audience, Map<String, Object> claims,
      long lifetimeSeconds) {
    return server.issueToken(issuerId, subject, new DefaultOAuth2TokenCallback(issuerId, subject, type,
        audience == null ? List.of() : List.of(audience), claims, lifetimeSeconds)).serialize();
  }

  /** How many requests reached a path (e.g. {@code /upstream/token}) so far; takes them off the server's record. */
  public int requestsTo(String path) {
    int n = 0;
    okhttp3.mockwebserver.RecordedRequest r;
    while ((r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
      if (r.getPath() != null && r.getPath().startsWith(path)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
