package dev.junction.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.Names;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.Issuer;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway as an OAuth 2.1 resource server, against a real authorization server. */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InboundAuthIT {
  private static final String RESOURCE = "https://junction.test";

  private static JsonObject oauth(Issuer as, List<String> scopes) {
    return new JsonObject().put("resource", RESOURCE).put("oauth", new JsonObject().put("issuer", as.issuer("default"))
        .put("scopes", scopes).put("jwksMinRefresh", "0s"));
  }

  private static JsonObject strict(JsonObject auth) {
    auth.getJsonObject("oauth").put("requireJwtType", true);
    return auth;
  }

  private static RawMcp.Reply call(RawMcp mcp, String token, String tool) {
    MultiMap h = RawMcp.statelessHeaders("tools/call", tool);
    if (token != null) {
      h.add("Authorization", "Bearer " + token);
    }
    return mcp.post(h, RawMcp.statelessRequest(1, "tools/call", new JsonObject().put("name", tool).put("arguments", new JsonObject())));
  }

  @Test
  void onlyValidTokensForThisResourceFromTheIssuerGetIn() {
    try (Issuer as = Issuer.start();
         StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("auth", oauth(as, List.of())));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String valid = as.token("default", "alice", RESOURCE, Map.of(), 60);
      RawMcp.Reply ok = call(mcp, valid, "stub_echo");
      assertThat(ok.status()).as(ok.body()).isEqualTo(200);
      assertThat(ok.result()).isNotNull();
      // the endpoint's own URL is an audience too (RFC 8707 resource of the MCP endpoint)
      assertThat(call(mcp, as.token("default", "alice", RESOURCE + "/mcp", Map.of(), 60), "stub_echo").status()).isEqualTo(200);

      RawMcp.Reply none = call(mcp, null, "stub_echo");
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.headers().get("WWW-Authenticate"))
          .isEqualTo("Bearer resource_metadata=\"" + RESOURCE + "/.well-known/oauth-protected-resource/mcp\"");
      assertThat(none.error().getInteger("code")).isEqualTo(-32600);

      Map<String, String> bad = Map.of(
          "expired", as.token("default", "alice", RESOURCE, Map.of(), -120),
          "issued for another resource", as.token("default", "alice", "https://other.test", Map.of(), 60),
          "issued by another issuer", as.token("elsewhere", "alice", RESOURCE, Map.of(), 60),
          "malformed token", "not.a-token");
      bad.forEach((why, token) -> {
        RawMcp.Reply r = call(mcp, token, "stub_echo");
        assertThat(r.status()).as(why).isEqualTo(401);
        String challenge = r.headers().get("WWW-Authenticate");
        assertThat(challenge).as(why).contains("resource_metadata=\"" + RESOURCE).contains("error=\"invalid_token\"");
        if (!why.equals("issued by another issuer")) {
          assertThat(challenge).as(why).contains(why);
        }
      });
      assertThat(stub.count("tools/call")).as("only the accepted calls reached the upstream").isEqualTo(2);
      for (String line : LogWatch.lines()) {
        assertThat(line).doesNotContain(valid);
        bad.values().forEach(t -> assertThat(line).doesNotContain(t));
      }
    }
  }

  @Test
  void requireJwtTypeLetsOnlyAccessTokensIn() {
    try (Issuer as = Issuer.start();
         StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("auth", strict(oauth(as, List.of()))));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      RawMcp.Reply access = call(mcp, as.token("default", "at+jwt", "alice", RESOURCE, Map.of(), 60), "stub_echo");
      assertThat(access.status()).as(access.body()).isEqualTo(200);
      RawMcp.Reply plain = call(mcp, as.token("default", "JWT", "alice", RESOURCE, Map.of(), 60), "stub_echo");
      assertThat(plain.status()).isEqualTo(401);
      assertThat(plain.headers().get("WWW-Authenticate")).contains("error=\"invalid_token\"")
          .contains("not a JWT access token");
      assertThat(stub.count("tools/call")).isEqualTo(1);
    }
  }

  @Test
  void aTokenWithoutTheScopeGets403InsufficientScope() {
    try (Issuer as = Issuer.start();
         StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("auth", oauth(as, List.of("mcp:tools"))));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      RawMcp.Reply none = call(mcp, null, "stub_echo");
      assertThat(none.headers().get("WWW-Authenticate")).contains("scope=\"mcp:tools\"");
      RawMcp.Reply narrow = call(mcp, as.token("default", "alice", RESOURCE, Map.of("scope", "profile"), 60), "stub_echo");
      assertThat(narrow.status()).isEqualTo(403);
      assertThat(narrow.headers().get("WWW-Authenticate")).contains("error=\"insufficient_scope\"").contains("scope=\"mcp:tools\"")
          .contains("resource_metadata=");
      RawMcp.Reply wide = call(mcp, as.token("default", "alice", RESOURCE, Map.of("scope", "profile mcp:tools"), 60), "stub_echo");
      assertThat(wide.status()).as(wide.body()).isEqualTo(200);
    }
  }

  @Test
  void protectedResourceMetadataIsServedAtTheRootAndPerEndpoint() {
    try (Issuer as = Issuer.start();
         StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("auth", oauth(as, List.of("mcp:tools"))))) {
      Map<String, String> paths = Map.of("", RESOURCE, "/mcp", RESOURCE + "/mcp", "/servers/stub/mcp", RESOURCE + "/servers/stub/mcp");
      paths.forEach((path, resource) -> {
        try (RawMcp meta = new RawMcp(gateway.url("/.well-known/oauth-protected-resource" + path))) {
          RawMcp.Reply r = meta.send(HttpMethod.GET, MultiMap.caseInsensitiveMultiMap(), null);
          assertThat(r.status()).as(path).isEqualTo(200);
          JsonObject doc = new JsonObject(r.body());
          assertThat(doc.getString("resource")).isEqualTo(resource);
          assertThat(doc.getJsonArray("authorization_servers")).containsExactly(as.issuer("default"));
          assertThat(doc.getJsonArray("scopes_supported")).containsExactly("mcp:tools");
        }
      });
      try (RawMcp meta = new RawMcp(gateway.url("/.well-known/oauth-protected-resource/servers/nope/mcp"))) {
        assertThat(meta.send(HttpMethod.GET, MultiMap.caseInsensitiveMultiMap(), null).status()).isEqualTo(404);
      }
    }
  }

  @Test
  void rotatedKeysAreFetchedWhenATokenNamesANewKey() {
    Issuer first = Issuer.start();
    int port = first.port();
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("auth", oauth(first, List.of())));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String old = first.token("default", "alice", RESOURCE, Map.of(), 60);
      assertThat(call(mcp, old, "stub_echo").status()).isEqualTo(200);
      first.close();
      // the same issuer, restarted with new keys: a rotation that retires the old key
      try (Issuer second = Issuer.start(port, Set.of())) {
        String fresh = second.token("default", "alice", RESOURCE, Map.of(), 60);
        RawMcp.Reply r = call(mcp, fresh, "stub_echo");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        RawMcp.Reply retired = call(mcp, old + "x", "stub_echo");
        assertThat(retired.status()).isEqualTo(401);
      }
    } finally {
      first.close();
    }
  }

  @Test
  void apiKeysAreMatchedByTheirHashAndNameATenant() {
    String key = "jk_live_" + "a".repeat(24);
    JsonObject auth = new JsonObject().put("apiKeys", new JsonArray()
        .add(new JsonObject().put("sha256", Names.sha256Hex(key)).put("tenant", "acme")));
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())), new JsonObject().put("auth", auth));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      JsonObject body = RawMcp.statelessRequest(1, "tools/call", new JsonObject().put("name", "stub_echo"));
      assertThat(mcp.post(RawMcp.statelessHeaders("tools/call", "stub_echo").add("X-API-Key", key), body).status()).isEqualTo(200);
      assertThat(call(mcp, key, "stub_echo").status()).as("as a bearer token").isEqualTo(200);
      RawMcp.Reply wrong = mcp.post(RawMcp.statelessHeaders("tools/call", "stub_echo").add("X-API-Key", key + "x"), body);
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(call(mcp, null, "stub_echo").status()).as("unauthenticated access is off unless allowed").isEqualTo(401);
      assertThat(stub.count("tools/call")).isEqualTo(2);
      for (String line : LogWatch.lines()) {
        assertThat(line).doesNotContain(key);
      }
    }
  }
}
