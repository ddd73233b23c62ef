package dev.junction.oauth;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The OAuth verticle's HTTP calls to authorization servers: JSON documents, form posts to token,
 * introspection and registration endpoints. Failures name the URL and the status, never a body
 * (a token endpoint's body may echo secrets) and never a credential. Owned by the OAuth verticle.
 */
final class Http {
  /** An authorization server's error answer, e.g. {@code invalid_client}. */
  static final class OAuthError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String error;

    OAuthError(String url, int status, String error) {
      super(url + " answered " + status + (error == null ? "" : " " + error), null, false, false);
      this.status = status;
      this.error = error;
    }
  }

  static final long TIMEOUT_MS = 10_000;

  private final WebClient client;

  Http(WebClient client) {
    this.client = client;
  }

  /** GETs a JSON object. */
  Future<JsonObject> json(String url) {
    return client.getAbs(url).timeout(TIMEOUT_MS).putHeader("Accept", "application/json").send()
        .compose(resp -> resp.statusCode() == 200 ? Future.succeededFuture(body(resp, url))
            : Future.failedFuture(new OAuthError(url, resp.statusCode(), null)));
  }

  /** The first of these URLs that answers a JSON object. */
  Future<JsonObject> first(List<String> urls) {
    Future<JsonObject> f = Future.failedFuture("no URL to try");
    for (String url : urls) {
      f = f.recover(err -> json(url));
    }
    return f;
  }

  /**
   * POSTs a form to a token or introspection endpoint with client_secret_basic authentication
   * (RFC 6749 2.3.1), or the client id alone for a public client.
   */
  Future<JsonObject> form(String url, MultiMap form, String clientId, String clientSecret) {
    var req = client.postAbs(url).timeout(TIMEOUT_MS).putHeader("Accept", "application/json");
    if (clientSecret != null) {
      String pair = encode(clientId) + ":" + encode(clientSecret);
      req.putHeader("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else if (clientId != null) {
      form.set("client_id", clientId);
    }
    return req.sendForm(form).compose(resp -> {
      JsonObject body = body(resp, url);
      if (resp.statusCode() == 200 || resp.statusCode() == 201) {
        return Future.succeededFuture(body);
      }
      return Future.failedFuture(new OAuthError(url, resp.statusCode(), body == null ? null : body.getString("error")));
    });
  }

  /** POSTs JSON (client registration, RFC 7591). */
  Future<JsonObject> postJson(String url, JsonObject json) {
    return client.postAbs(url).timeout(TIMEOUT_MS).putHeader("Accept", "application/json").sendJsonObject(json)
        .compose(resp -> resp.statusCode() == 201 || resp.statusCode() == 200
            ? Future.succeededFuture(body(resp, url))
            : Future.failedFuture(new OAuthError(url, resp.statusCode(), body(resp, url) == null ? null
                : body(resp, url).getString("error"))));
  }

  private static JsonObject body(HttpResponse<Buffer> resp, String url) {
    try {
      Buffer b = resp.body();
      return b == null || b.length() == 0 ? null : b.toJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * Where an issuer's metadata may be (RFC 8414 3.1, with the OpenID Connect forms MCP clients
   * also try): path-inserted forms first, then the appended OpenID form.
   */
  static List<String> metadataUrls(String issuer) {
    URI uri = URI.create(issuer);
    String origin = uri.getScheme() + "://" + uri.getRawAuthority();
    String path = uri.getRawPath() == null || uri.getRawPath().equals("/") ? "" : uri.getRawPath().replaceAll("/$", "");
    List<String> urls = new ArrayList<>();
    urls.add(origin + "/.well-known/oauth-authorization-server" + path);
    urls.add(origin + "/.well-known/openid-configuration" + path);
    if (!path.isEmpty()) {
      urls.add(origin + path + "/.well-known/openid-configuration");
    }
    return urls;
  }

  /** Where a resource's protected resource metadata may be (RFC 9728 3.1): path-inserted, then at the root. */
  static List<String> resourceMetadataUrls(String resource) {
    URI uri = URI.create(resource);
    String origin = uri.getScheme() + "://" + uri.getRawAuthority();
    String path = uri.getRawPath() == null || uri.getRawPath().equals("/") ? "" : uri.getRawPath().replaceAll("/$", "");
    return path.isEmpty() ? List.of(origin + "/.well-known/oauth-protected-resource")
        : List.of(origin + "/.well-known/oauth-protected-resource" + path,
            origin + "/.well-known/oauth-protected-resource");
  }
}
