package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The oidc-provider test server does what the gateway's OAuth tests rely on: discovery, open
 * dynamic registration, client credentials with resource indicators, introspection, and forgetting
 * every client on restart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OAuthServerNodeIT {
  private static final String RESOURCE = "http://127.0.0.1:9/mcp";
  // response_types must be emptied: oidc-provider defaults it to ["code"], which makes
  // redirect_uris mandatory. With it empty, redirect_uris may be left out.
  private static final JsonObject CLIENT = new JsonObject()
      .put("grant_types", new JsonArray().add("client_credentials"))
      .put("response_types", new JsonArray())
      .put("token_endpoint_auth_method", "client_secret_basic");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private OAuthServerNode server;

  @BeforeAll
  static void installed() {
    Node.requireInstalled();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void discoveryListsRegistrationTokenAndIntrospection() throws Exception {
    server = OAuthServerNode.start(0);
    JsonObject oidc = json(get("/.well-known/openid-configuration"), 200);
    assertThat(oidc.getString("issuer")).isEqualTo(server.issuer());
    assertThat(oidc.getString("registration_endpoint")).isEqualTo(server.url("/reg"));
    assertThat(oidc.getString("token_endpoint")).isEqualTo(server.url("/token"));
    assertThat(oidc.getString("introspection_endpoint")).isEqualTo(server.url("/token/introspection"));
    assertThat(oidc.getString("jwks_uri")).isEqualTo(server.url("/jwks"));
    assertThat(oidc.getJsonArray("grant_types_supported").getList()).contains("client_credentials");
    // oidc-provider also serves RFC 8414 metadata at /.well-known/oauth-authorization-server
    // (same document), so an MCP client that looks there first finds it too.
    assertThat(json(get("/.well-known/oauth-authorization-server"), 200)).isEqualTo(oidc);
  }

  @Test
  void aRegisteredClientGetsAJwtForTheResource() throws Exception {
    server = OAuthServerNode.start(0);
    JsonObject client = register();
    JsonObject token = json(token(client, Map.of("resource", RESOURCE, "scope", "mcp:tools")), 200);
    assertThat(token.getString("token_type")).isEqualTo("Bearer");
    assertThat(token.getInteger("expires_in")).isEqualTo(OAuthServerNode.DEFAULT_ACCESS_TOKEN_TTL);
    assertThat(token.getString("scope")).isEqualTo("mcp:tools");

    String[] jwt = token.getString("access_token").split("\\.");
    assertThat(jwt).hasSize(3);
    JsonObject header = new JsonObject(decode(jwt[0]));
    JsonObject claims = new JsonObject(decode(jwt[1]));
    assertThat(header.getString("typ")).isEqualTo("at+jwt");
    assertThat(header.getString("alg")).isEqualTo("RS256");
    assertThat(claims.getString("aud")).isEqualTo(RESOURCE);
    assertThat(claims.getString("iss")).isEqualTo(server.issuer());
    assertThat(claims.getString("client_id")).isEqualTo(client.getString("client_id"));
    assertThat(claims.getString("scope")).isEqualTo("mcp:tools");
    assertThat(signedByJwks(jwt, header.getString("kid"))).isTrue();

    String id = client.getString("client_id");
    server.awaitEvent(e -> "token".equals(e.getString("event")) && id.equals(e.getString("client_id")),
        Duration.ofSeconds(5));
    assertThat(server.events()).containsExactly(
        new JsonObject().put("event", "registration").put("client_id", id),
        new JsonObject().put("event", "token").put("client_id", id).put("grant", "client_credentials")
            .put("resource", RESOURCE));
  }

  @Test
  void introspectionSaysAnOpaqueTokenIsActive() throws Exception {
    server = OAuthServerNode.start(0);
    JsonObject client = register();
    String opaque = json(token(client, Map.of()), 200).getString("access_token");
    assertThat(opaque).doesNotContain(".");
    JsonObject answer = json(introspect(client, opaque), 200);
    assertThat(answer.getBoolean("active")).isTrue();
    assertThat(answer.getString("client_id")).isEqualTo(client.getString("client_id"));
    assertThat(answer.getString("iss")).isEqualTo(server.issuer());
    assertThat(json(introspect(client, "not-a-token"), 200).getBoolean("active")).isFalse();

    // oidc-provider does not store JWT access tokens and refuses to introspect them.
    String jwt = json(token(client, Map.of("resource", RESOURCE)), 200).getString("access_token");
    assertThat(json(introspect(client, jwt), 400).getString("error")).isEqualTo("unsupported_token_type");
  }

  @Test
  void opaqueFormatBindsTheResourceInIntrospection() throws Exception {
    server = OAuthServerNode.start(0, OAuthServerNode.TokenFormat.OPAQUE, 30);
    JsonObject client = register();
    JsonObject token = json(token(client, Map.of("resource", RESOURCE)), 200);
    assertThat(token.getInteger("expires_in")).isEqualTo(30);
    JsonObject answer = json(introspect(client, token.getString("access_token")), 200);
    assertThat(answer.getBoolean("active")).isTrue();
    assertThat(answer.getString("aud")).isEqualTo(RESOURCE);
  }

  @Test
  void aRestartForgetsEveryClient() throws Exception {
    server = OAuthServerNode.start(0);
    int port = server.port();
    JsonObject client = register();
    json(token(client, Map.of()), 200);

    server.close();
    server = OAuthServerNode.start(port);
    assertThat(server.issuer()).isEqualTo("http://127.0.0.1:" + port);
    assertThat(json(token(client, Map.of()), 401).getString("error")).isEqualTo("invalid_client");
    String id = client.getString("client_id");
    JsonObject failed = server.awaitEvent(e -> "token_error".equals(e.getString("event")), Duration.ofSeconds(5));
    assertThat(failed).isEqualTo(new JsonObject().put("event", "token_error").put("client_id", id)
        .put("grant", "client_credentials").put("error", "invalid_client"));
  }

  private JsonObject register() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url("/reg")))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(CLIENT.encode())).build(), HttpResponse.BodyHandlers.ofString());
    JsonObject client = json(r, 201);
    assertThat(client.getString("client_id")).isNotBlank();
    assertThat(client.getString("client_secret")).isNotBlank();
    assertThat(client.getString("token_endpoint_auth_method")).isEqualTo("client_secret_basic");
    return client;
  }

  private HttpResponse<String> token(JsonObject client, Map<String, String> params)
      throws IOException, InterruptedException {
    String form = "grant_type=client_credentials" + params.entrySet().stream()
        .map(e -> "&" + e.getKey() + "=" + encode(e.getValue())).collect(Collectors.joining());
    return postForm("/token", client, form);
  }

  private HttpResponse<String> introspect(JsonObject client, String token) throws IOException, InterruptedException {
    return postForm("/token/introspection", client, "token=" + encode(token));
  }

  private HttpResponse<String> postForm(String path, JsonObject client, String form)
      throws IOException, InterruptedException {
    // RFC 6749 §2.3.1: client_id and secret are form-encoded before they go into Basic.
    String basic = encode(client.getString("client_id")) + ":" + encode(client.getString("client_secret"));
    return http.send(HttpRequest.newBuilder(URI.create(server.url(path)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(server.url(path))).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Checks the JWS against the key with {@code kid} in the server's JWKS. */
  private boolean signedByJwks(String[] jwt, String kid) throws Exception {
    JsonObject jwk = json(get("/jwks"), 200).getJsonArray("keys").stream().map(k -> (JsonObject) k)
        .filter(k -> kid.equals(k.getString("kid"))).findFirst().orElseThrow();
    Base64.Decoder b64 = Base64.getUrlDecoder();
    PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
        new BigInteger(1, b64.decode(jwk.getString("n"))), new BigInteger(1, b64.decode(jwk.getString("e")))));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(key);
    rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    return rs256.verify(b64.decode(jwt[2]));
  }

  private static JsonObject json(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return new JsonObject(r.body());
  }

  private static String decode(String part) {
    return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
