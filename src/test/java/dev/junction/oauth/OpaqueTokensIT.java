package dev.junction.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.OAuthServerNode;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Opaque client tokens checked by introspection (RFC 7662) at a real authorization server (oidc-provider). */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpaqueTokensIT {
  private static final String RESOURCE = "https://junction.test";

  @BeforeAll
  static void node() {
    Node.requireInstalled();
  }

  /** Registers a client-credentials client; returns {client_id, client_secret}. */
  private static JsonObject register(WebClient web, OAuthServerNode as) {
    return web.postAbs(as.url("/reg")).sendJsonObject(new JsonObject()
        .put("grant_types", new JsonArray().add("client_credentials")).put("response_types", new JsonArray())
        .put("token_endpoint_auth_method", "client_secret_basic")).await().bodyAsJsonObject();
  }

  private static String token(WebClient web, OAuthServerNode as, JsonObject client, String resource) {
    return web.postAbs(as.url("/token")).basicAuthentication(client.getString("client_id"), client.getString("client_secret"))
        .sendForm(MultiMap.caseInsensitiveMultiMap().set("grant_type", "client_credentials").set("resource", resource))
        .await().bodyAsJsonObject().getString("access_token");
  }

  @Test
  void activeOpaqueTokensForThisResourceGetInAndOthersDoNot() {
    Vertx vertx = Vertx.vertx();
    try (OAuthServerNode as = OAuthServerNode.start(0, OAuthServerNode.TokenFormat.OPAQUE, 600);
         StubMcpServer stub = StubMcpServer.start()) {
      WebClient web = WebClient.create(vertx);
      JsonObject gatewayClient = register(web, as);
      JsonObject agent = register(web, as);
      String good = token(web, as, agent, RESOURCE);
      String foreign = token(web, as, agent, "https://other.test");
      assertThat(good).doesNotContain(".");
      // client-credentials tokens name no user: the client is the tenant
      JsonObject auth = new JsonObject().put("resource", RESOURCE).put("oauth", new JsonObject().put("issuer", as.issuer())
          .put("tenantClaim", "client_id")
          .put("introspection", new JsonObject().put("clientId", gatewayClient.getString("client_id"))
              .put("clientSecret", gatewayClient.getString("client_secret"))));
      try (Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())), new JsonObject().put("auth", auth));
           RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
        JsonObject echo = RawMcp.statelessRequest(1, "tools/call", new JsonObject().put("name", "stub_echo"));
        RawMcp.Reply ok = mcp.post(RawMcp.statelessHeaders("tools/call", "stub_echo").add("Authorization", "Bearer " + good), echo);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        for (String bad : List.of(foreign, "opaque-but-unknown")) {
          RawMcp.Reply r = mcp.post(RawMcp.statelessHeaders("tools/call", "stub_echo").add("Authorization", "Bearer " + bad), echo);
          assertThat(r.status()).isEqualTo(401);
          assertThat(r.headers().get("WWW-Authenticate")).contains("error=\"invalid_token\"");
        }
        for (String line : LogWatch.lines()) {
          assertThat(line).doesNotContain(good).doesNotContain(gatewayClient.getString("client_secret"));
        }
      }
    } finally {
      vertx.close().await();
    }
  }
}
