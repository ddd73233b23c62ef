package dev.junction.ingress;

import dev.junction.config.AuthOptions;
import dev.junction.config.JunctionConfig;
import dev.junction.routing.Endpoint;
import dev.junction.routing.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) at {@code /.well-known/oauth-protected-resource},
 * and per endpoint with the endpoint's path inserted (for example
 * {@code /.well-known/oauth-protected-resource/mcp}), as MCP clients look for it. Served only when
 * bearer tokens are checked ({@code auth.oauth}); 404 otherwise. Runs on the ingress context.
 */
final class ResourceMetadata {
  static final String PATH = "/.well-known/oauth-protected-resource";

  private final Supplier<String> resource;
  // owned by the ingress context; replaced by each new config version (configure)
  private AuthOptions auth;
  private Routes routes;

  ResourceMetadata(JunctionConfig config, Supplier<String> resource) {
    this.resource = resource;
    configure(config);
  }

  /** Takes a config version: endpoints added or removed by a reload are served or refused from the next request. */
  void configure(JunctionConfig next) {
    this.auth = next.auth();
    this.routes = new Routes(next);
  }

  void handle(RoutingContext rc) {
    String rest = rc.request().path().substring(PATH.length());
    Endpoint endpoint = rest.isEmpty() || rest.equals("/") ? null : endpoint(rest);
    if (!auth.oauth() || (!rest.isEmpty() && !rest.equals("/") && (endpoint == null || !routes.exists(endpoint)))) {
      rc.response().setStatusCode(404).end();
      return;
    }
    JsonObject body = new JsonObject()
        .put("resource", resource.get() + (endpoint == null ? "" : endpoint.path()))
        .put("authorization_servers", new JsonArray().add(auth.issuer()))
        .put("bearer_methods_supported", new JsonArray().add("header"))
        .put("resource_name", "Junction MCP gateway");
    if (!auth.scopes().isEmpty()) {
      body.put("scopes_supported", new JsonArray(auth.scopes()));
    }
    rc.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "max-age=300")
        .end(body.encode());
  }

  /** The endpoint whose path this is, or null. */
  private static Endpoint endpoint(String path) {
    String[] p = path.substring(1).split("/", -1);
    if (p.length == 1 && p[0].equals("mcp")) {
      return Endpoint.AGGREGATE;
    }
    if (p.length == 3 && p[2].equals("mcp") && !p[1].isEmpty()) {
      return p[0].equals("servers") ? Endpoint.server(p[1]) : p[0].equals("v") ? Endpoint.virtual(p[1]) : null;
    }
    return null;
  }
}
