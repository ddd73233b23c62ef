package dev.junction.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How the gateway authenticates to one upstream, under {@code upstreams.<name>.auth:}. The
 * client's own token never goes upstream, except with {@link Mode#PASSTHROUGH}, which the spec
 * forbids and the gateway allows only when it is set explicitly. Read-only once the gateway starts.
 */
public final class UpstreamAuthOptions {
  /** A token is refreshed this long before it expires. */
  public static final long DEFAULT_REFRESH_BEFORE_MS = 60_000;

  /** The modes. */
  public enum Mode {
    /** Static {@code headers} and {@code headerFiles} (the default). */
    HEADERS("headers"),
    /** The gateway's own token from the client credentials grant; one token for every tenant. */
    CLIENT_CREDENTIALS("client-credentials"),
    /** A token from a configured refresh token (rotated refresh tokens are kept). */
    REFRESH_TOKEN("refresh-token"),
    /** The client's token exchanged for an upstream token (RFC 8693), per tenant. */
    TOKEN_EXCHANGE("token-exchange"),
    /** The client's own token, as it came. Forbidden by the MCP spec; explicit only. */
    PASSTHROUGH("passthrough");

    private final String key;

    Mode(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }

    static Mode of(String key) {
      for (Mode m : values()) {
        if (m.key.equals(key)) {
          return m;
        }
      }
      return null;
    }
  }

  Mode mode = Mode.HEADERS;
  String tokenUrl;
  String clientId;
  String clientSecret;
  List<String> scopes = List.of();
  String audience;
  String resource;
  String refreshToken;
  long refreshBeforeMs = DEFAULT_REFRESH_BEFORE_MS;
  boolean register;

  public Mode mode() {
    return mode;
  }

  /** The token endpoint; null: discovered from the upstream's protected resource metadata (RFC 9728, RFC 8414). */
  public String tokenUrl() {
    return tokenUrl;
  }

  /** null with {@link #register()}: registered dynamically (RFC 7591). */
  public String clientId() {
    return clientId;
  }

  /** A secret: never logged. */
  public String clientSecret() {
    return clientSecret;
  }

  public List<String> scopes() {
    return scopes;
  }

  public String audience() {
    return audience;
  }

  /** The RFC 8707 resource the token is for; null: the upstream's URL. */
  public String resource() {
    return resource;
  }

  /** A secret: never logged. */
  public String refreshToken() {
    return refreshToken;
  }

  public long refreshBeforeMs() {
    return refreshBeforeMs;
  }

  /** Register as a client (RFC 7591) when no client id is configured, and again after {@code invalid_client}. */
  public boolean register() {
    return register;
  }

  /** True for modes whose token comes from the client's own token. */
  public boolean usesClientToken() {
    return mode == Mode.TOKEN_EXCHANGE || mode == Mode.PASSTHROUGH;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("mode", mode.key());
    if (tokenUrl != null) {
      json.put("tokenUrl", tokenUrl);
    }
    if (clientId != null) {
      json.put("clientId", clientId);
    }
    if (clientSecret != null) {
      json.put("clientSecret", "***");
    }
    if (refreshToken != null) {
      json.put("refreshToken", "***");
    }
    if (!scopes.isEmpty()) {
      json.put("scopes", new JsonArray(scopes));
    }
    if (audience != null) {
      json.put("audience", audience);
    }
    if (resource != null) {
      json.put("resource", resource);
    }
    return json.put("refreshBefore", Durations.format(refreshBeforeMs)).put("register", register);
  }
}
