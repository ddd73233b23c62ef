package dev.junction.config;

import static dev.junction.binding.Key.Unit.MILLIS;

import dev.junction.binding.Binder;
import dev.junction.binding.Key;
import dev.junction.binding.Show;
import java.util.List;

/**
 * How the gateway authenticates to one upstream, under {@code upstreams.<name>.auth:}. The
 * client's own token never goes upstream, except with {@link Mode#PASSTHROUGH}, which the spec
 * forbids and the gateway allows only when it is set explicitly. Immutable.
 */
public record UpstreamAuthOptions(
    @Key(value = "headers", doc = "headers, client-credentials, refresh-token, token-exchange or passthrough.")
    Mode mode,
    @Key(doc = "The token endpoint; default: discovered from the upstream's protected resource metadata.")
    String tokenUrl,
    @Key(doc = "The gateway's client id; with register: true it may be left out.") String clientId,
    @Key(secret = true, doc = "The gateway's client secret.") String clientSecret,
    @Key(doc = "Scopes to ask for.") List<String> scopes,
    @Key(doc = "The audience to ask for.") String audience,
    @Key(doc = "The RFC 8707 resource the token is for; default: the upstream's URL.") String resource,
    @Key(secret = true, doc = "refresh-token: the refresh token.") String refreshToken,
    @Key(name = "refreshBefore", value = "60s", unit = MILLIS, doc = "A token is renewed this long before it"
        + " expires.") long refreshBeforeMs,
    @Key(value = "false", doc = "Register as a client (RFC 7591) when no clientId is set, and again after"
        + " invalid_client.") boolean register) implements Binder.Checked {

  /** The modes. */
  public enum Mode {
    /** Static {@code headers} and {@code headerFiles} (the default). */
    HEADERS,
    /** The gateway's own token from the client credentials grant; one token for every tenant. */
    CLIENT_CREDENTIALS,
    /** A token from a configured refresh token (rotated refresh tokens are kept). */
    REFRESH_TOKEN,
    /** The client's token exchanged for an upstream token (RFC 8693), per tenant. */
    TOKEN_EXCHANGE,
    /** The client's own token, as it came. Forbidden by the MCP spec; explicit only. */
    PASSTHROUGH
  }

  /** True for modes whose token comes from the client's own token. */
  public boolean usesClientToken() {
    return mode == Mode.TOKEN_EXCHANGE || mode == Mode.PASSTHROUGH;
  }

  /** The values as the file writes them, secrets masked (a record's own toString would show them). */
  @Override
  public String toString() {
    return Show.show(this, null).toString();
  }

  @Override
  public void check(Binder.Section s) {
    List<String> needed = mode == Mode.REFRESH_TOKEN ? List.of("tokenUrl", "clientId", "refreshToken")
        : mode == Mode.TOKEN_EXCHANGE ? List.of("tokenUrl", "clientId") : List.of();
    needed.stream().filter(k -> !s.has(k)).forEach(k -> s.error(k, "required for " + Binder.key(mode)));
    if (mode == Mode.CLIENT_CREDENTIALS && clientId == null && !register) {
      s.error("clientId", "required (or register: true to register with the upstream's authorization server)");
    }
  }
}
