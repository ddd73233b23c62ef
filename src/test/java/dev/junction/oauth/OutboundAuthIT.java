package dev.junction.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.Issuer;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's own credentials upstream, from a real authorization server: client credentials
 * renewed before they expire, a 401 answered by renewal and one retry, token exchange per tenant,
 * a refresh token. Every test ends by checking that no token or secret reached a log line.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OutboundAuthIT {
  private static final String RESOURCE = "https://junction.test";
  private static final String CLIENT_SECRET = "cs-" + "s3cr3t-value-never-logged";

  private static RawMcp.Reply call(RawMcp mcp, String bearer, String tool) {
    MultiMap h = RawMcp.statelessHeaders("tools/call", tool);
    if (bearer != null) {
      h.add("Authorization", "Bearer " + bearer);
    }
    return mcp.post(h, RawMcp.statelessRequest(1, "tools/call", new JsonObject().put("name", tool).put("arguments", new JsonObject())));
  }

  private static JsonObject claims(String authorization) {
    String jwt = authorization.substring("Bearer ".length());
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private static List<String> bearers(StubMcpServer stub) {
    return stub.authorizations().stream().filter(Objects::nonNull).distinct().toList();
  }

  /** No log line, at any level, contains a secret. */
  private static void noSecretsLogged(List<String> secrets) {
    for (String line : LogWatch.lines()) {
      for (String secret : secrets) {
        assertThat(line).as("a log line").doesNotContain(secret);
      }
    }
  }

  @Test
  void clientCredentialsAreRenewedBeforeTheyExpireAndA401RenewsThemOnce() {
    try (Issuer as = Issuer.start(0, Set.of(Issuer.issues("upstream", "junction", "upstream-api", Map.of(), 4)));
         StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url()).put("auth", new JsonObject()
             .put("mode", "client-credentials").put("tokenUrl", as.tokenEndpoint("upstream")).put("clientId", "junction")
             .put("clientSecret", CLIENT_SECRET).put("scopes", List.of("tools")).put("refreshBefore", "2s"))));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      assertThat(call(mcp, null, "stub_echo").result()).isNotNull();
      List<String> first = bearers(stub);
      assertThat(first).hasSize(1);
      assertThat(claims(first.get(0)).getString("aud")).contains("upstream-api");

      // 4 s tokens renewed 2 s before they expire: a new one is in use within about 2 s, no call failing
      Await.until(() -> {
        assertThat(call(mcp, null, "stub_echo").result()).isNotNull();
        return bearers(stub).size() >= 2;
      }, 10, "a renewed token to be used");
      String renewed = bearers(stub).get(bearers(stub).size() - 1);
      assertThat(renewed).isNotEqualTo(first.get(0));

      // the upstream refuses the current token: renewed once, the call retried once, the client sees a result
      stub.reject(renewed);
      int before = bearers(stub).size();
      RawMcp.Reply r = call(mcp, null, "stub_echo");
      assertThat(r.result()).as(r.body()).isNotNull();
      List<String> now = bearers(stub);
      assertThat(now.size()).isEqualTo(before + 1);
      assertThat(now.get(now.size() - 1)).isNotEqualTo(renewed);
      // a new token is a new pool key: each token opened its own upstream session
      assertThat(stub.initializeCount()).isGreaterThanOrEqualTo(now.size());

      List<String> secrets = new ArrayList<>(now.stream().map(b -> b.substring(7)).toList());
      secrets.add(CLIENT_SECRET);
      noSecretsLogged(secrets);
    }
  }

  @Test
  void tokenExchangeGivesEachTenantItsOwnUpstreamToken() {
    try (Issuer as = Issuer.start();
         StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url()).put("auth", new JsonObject()
                 .put("mode", "token-exchange").put("tokenUrl", as.tokenEndpoint("exchange")).put("clientId", "junction")
                 .put("clientSecret", CLIENT_SECRET).put("audience", "upstream-api"))),
             new JsonObject().put("auth", new JsonObject().put("resource", RESOURCE)
                 .put("oauth", new JsonObject().put("issuer", as.issuer("default")))));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String alice = as.token("default", "alice", RESOURCE, Map.of(), 60);
      String bob = as.token("default", "bob", RESOURCE, Map.of(), 60);
      assertThat(call(mcp, alice, "stub_echo").result()).isNotNull();
      assertThat(call(mcp, bob, "stub_echo").result()).isNotNull();
      assertThat(call(mcp, alice, "stub_echo").result()).isNotNull();
      List<String> seen = bearers(stub);
      assertThat(seen).hasSize(2).doesNotContain("Bearer " + alice, "Bearer " + bob);
      assertThat(seen.stream().map(b -> claims(b).getString("sub"))).containsExactlyInAnyOrder("alice", "bob");
      assertThat(seen.stream().map(b -> claims(b).getString("iss"))).allMatch(as.issuer("exchange")::equals);

      List<String> secrets = new ArrayList<>(List.of(alice, bob, CLIENT_SECRET));
      seen.forEach(b -> secrets.add(b.substring(7)));
      noSecretsLogged(secrets);
    }
  }

  @Test
  void aRefreshTokenIsTradedForAccessTokens() {
    try (Issuer as = Issuer.start(); StubMcpServer stub = StubMcpServer.start()) {
      String refresh = initialRefreshToken(as);
      try (Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url()).put("auth", new JsonObject()
               .put("mode", "refresh-token").put("tokenUrl", as.tokenEndpoint("default")).put("clientId", "junction")
               .put("clientSecret", CLIENT_SECRET).put("refreshToken", refresh))));
           RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
        RawMcp.Reply r = call(mcp, null, "stub_echo");
        assertThat(r.result()).as(r.body()).isNotNull();
        List<String> seen = bearers(stub);
        assertThat(seen).hasSize(1);
        assertThat(claims(seen.get(0)).getString("iss")).isEqualTo(as.issuer("default"));
        noSecretsLogged(List.of(refresh, seen.get(0).substring(7), CLIENT_SECRET));
      }
    }
  }

  /** A refresh token from the authorization code flow (what an operator would paste into config). */
  private static String initialRefreshToken(Issuer as) {
    Vertx vertx = Vertx.vertx();
    try {
      WebClient web = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions().setFollowRedirects(false));
      String redirect = "http://127.0.0.1:1/callback";
      var authorize = web.getAbs(as.issuer("default") + "/authorize").addQueryParam("response_type", "code")
          .addQueryParam("client_id", "junction").addQueryParam("redirect_uri", redirect)
          .addQueryParam("scope", "openid offline_access").addQueryParam("state", "s1").addQueryParam("nonce", "n1")
          .send().await();
      String location = authorize.getHeader("Location");
      assertThat(location).as("the authorization redirect").startsWith(redirect);
      String code = java.net.URLDecoder.decode(location.replaceAll(".*[?&]code=([^&]+).*", "$1"), StandardCharsets.UTF_8);
      var resp = web.postAbs(as.tokenEndpoint("default"))
          .sendForm(MultiMap.caseInsensitiveMultiMap().set("grant_type", "authorization_code").set("code", code)
              .set("redirect_uri", redirect).set("client_id", "junction").set("client_secret", CLIENT_SECRET)).await();
      String token = resp.bodyAsJsonObject().getString("refresh_token");
      assertThat(token).as("a refresh token from the code exchange").isNotNull();
      return token;
    } finally {
      vertx.close().await();
    }
  }
}
