package dev.junction.oauth;

import dev.junction.config.UpstreamAuthOptions;
import dev.junction.config.UpstreamOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds an OAuth-protected upstream's token endpoint: its protected resource metadata (RFC 9728;
 * at the URL its 401 challenge named, else at the well-known URIs), the first authorization
 * server listed there, and that server's metadata (RFC 8414, or OpenID Connect discovery). Pure
 * apart from the HTTP calls it makes.
 */
final class ClientDiscovery {
  private static final Pattern RESOURCE_METADATA = Pattern.compile("resource_metadata=\"([^\"]+)\"");

  private ClientDiscovery() {
  }

  /** A client with the endpoints found and the configured id and secret (null when registration must supply them). */
  static Future<UpstreamTokens.Client> discover(Http http, UpstreamOptions u, String challenge) {
    UpstreamAuthOptions auth = u.auth();
    String named = metadataUrl(challenge);
    List<String> urls = named != null ? List.of(named) : Http.resourceMetadataUrls(u.url());
    return http.first(urls).compose(prm -> {
      JsonArray servers = prm.getJsonArray("authorization_servers", new JsonArray());
      if (servers.isEmpty()) {
        return Future.failedFuture("the protected resource metadata of " + u.name() + " names no authorization server");
      }
      String resource = auth.resource() != null ? auth.resource() : prm.getString("resource");
      return http.first(Http.metadataUrls(servers.getString(0))).map(as -> new UpstreamTokens.Client(
          auth.tokenUrl() != null ? auth.tokenUrl() : as.getString("token_endpoint"), auth.clientId(),
          auth.clientSecret(), as.getString("registration_endpoint"), resource, false));
    });
  }

  /** The {@code resource_metadata} URL of a {@code WWW-Authenticate: Bearer} challenge (RFC 9728 5.1), or null. */
  static String metadataUrl(String challenge) {
    if (challenge == null) {
      return null;
    }
    Matcher m = RESOURCE_METADATA.matcher(challenge);
    return m.find() ? m.group(1) : null;
  }
}
