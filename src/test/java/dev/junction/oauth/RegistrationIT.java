package dev.junction.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Admin;
import dev.junction.testkit.Await;
import dev.junction.testkit.ClosedPort;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.OAuthServerNode;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An OAuth-protected remote upstream whose authorization server the gateway has to find and
 * register with: the upstream's 401 names its resource metadata (RFC 9728), that names the
 * server, whose metadata (RFC 8414) has the token and registration endpoints; the gateway
 * registers (RFC 7591), takes a client-credentials token for the upstream's resource, and
 * registers again when the server no longer knows it ({@code invalid_client}). The authorization
 * server is {@code oidc-provider} from npm.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RegistrationIT {

  @BeforeAll
  static void node() {
    Node.requireInstalled();
  }

  private static RawMcp.Reply call(RawMcp mcp) {
    return mcp.stateless(1, "tools/call", new JsonObject().put("name", "remote_echo").put("arguments", new JsonObject()));
  }

  private static JsonObject claims(String authorization) {
    String jwt = authorization.substring("Bearer ".length());
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  @Test
  void theGatewayFindsTheAuthorizationServerRegistersAndRegistersAgainWhenForgotten() throws Exception {
    OAuthServerNode as = OAuthServerNode.start(0);
    int port = as.port();
    try (StubMcpServer remote = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("remote", Gateway.http(remote.url())
             .put("auth", new JsonObject().put("mode", "client-credentials").put("register", true))));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      remote.protect(as.issuer());
      RawMcp.Reply first = call(mcp);
      assertThat(first.result()).as(first.body()).isNotNull();
      assertThat(remote.authorizations().get(0)).as("the first request goes without a token and gets the challenge").isNull();
      String token = remote.authorizations().stream().filter(Objects::nonNull).findFirst().orElseThrow();
      assertThat(claims(token).getString("aud")).as("a token for the upstream's resource (RFC 8707)").isEqualTo(remote.url());
      JsonObject registered = as.awaitEvent(e -> "registration".equals(e.getString("event")), Duration.ofSeconds(5));
      assertThat(claims(token).getString("client_id")).isEqualTo(registered.getString("client_id"));
      assertThat(call(mcp).result()).isNotNull();
      assertThat(as.events().stream().filter(e -> "registration".equals(e.getString("event")))).hasSize(1);

      // the authorization server restarts and forgets every client; the upstream stops taking the old token
      as.close();
      as = OAuthServerNode.start(port);
      remote.reject(token);
      RawMcp.Reply again = call(mcp);
      assertThat(again.result()).as(again.body()).isNotNull();
      OAuthServerNode restarted = as;
      JsonObject second = restarted.awaitEvent(e -> "registration".equals(e.getString("event")), Duration.ofSeconds(5));
      assertThat(second.getString("client_id")).isNotEqualTo(registered.getString("client_id"));
      List<String> tokens = remote.authorizations().stream().filter(Objects::nonNull).distinct().toList();
      assertThat(claims(tokens.get(tokens.size() - 1)).getString("client_id")).isEqualTo(second.getString("client_id"));
      for (String line : LogWatch.lines()) {
        tokens.forEach(t -> assertThat(line).doesNotContain(t.substring(7)));
      }
    } finally {
      as.close();
    }
  }

  private static JsonObject registering(StubMcpServer remote) {
    return Gateway.http(remote.url()).put("auth", new JsonObject().put("mode", "client-credentials").put("register", true));
  }

  @Test
  void aSessionBasedClientsInitializeFindsTheAuthorizationServer() throws Exception {
    String v = "2025-11-25";
    try (OAuthServerNode as = OAuthServerNode.start(0);
         StubMcpServer remote = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("remote", registering(remote)));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      remote.protect(as.issuer());
      String session = mcp.initialize(v, new JsonObject());
      RawMcp.Reply r = mcp.post(RawMcp.sessionHeaders(session, v), new JsonObject().put("jsonrpc", "2.0").put("id", 1)
          .put("method", "tools/call").put("params", new JsonObject().put("name", "remote_echo")
              .put("arguments", new JsonObject())));
      assertThat(r.result()).as(r.body()).isNotNull();
      assertThat(as.events().stream().filter(e -> "registration".equals(e.getString("event")))).hasSize(1);
      assertThat(remote.authorizations().stream().filter(Objects::nonNull)).isNotEmpty();
    }
  }

  @Test
  void healthProbesFindTheAuthorizationServerAndTheCircuitStaysClosed() throws Exception {
    JsonObject health = new JsonObject().put("probeInterval", "200ms").put("failureThreshold", 2);
    try (OAuthServerNode as = OAuthServerNode.start(0);
         StubMcpServer remote = StubMcpServer.start()) {
      remote.protect(as.issuer());
      try (Gateway gateway = Gateway.start(new JsonObject().put("remote", registering(remote)),
               new JsonObject().put("health", health).put("admin", Admin.config()));
           Admin admin = new Admin(gateway)) {
        Await.until(() -> "Healthy".equals(admin.state("remote")), 20, "the probe to get a token and pass");
        assertThat(admin.metrics()).doesNotContainPattern("junction_circuit_trips_total\\{[^}]*} [1-9]");
        assertThat(admin.upstream("remote").getString("circuit")).isEqualTo("closed");
        assertThat(remote.authorizations().stream().filter(Objects::nonNull)).isNotEmpty();
      }
    }
  }

  @Test
  void anAggregateListFindsTheAuthorizationServerAndIsNoHealthFailure() throws Exception {
    try (OAuthServerNode as = OAuthServerNode.start(0);
         StubMcpServer remote = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("remote", registering(remote)),
             new JsonObject().put("health", new JsonObject().put("probeInterval", "0s")).put("admin", Admin.config()));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      remote.protect(as.issuer());
      RawMcp.Reply list = mcp.stateless(1, "tools/list", null);
      assertThat(list.result()).as(list.body()).isNotNull();
      assertThat(list.result().getJsonArray("tools").stream().map(t -> ((JsonObject) t).getString("name")))
          .contains("remote_echo");
      assertThat(as.events().stream().filter(e -> "registration".equals(e.getString("event")))).hasSize(1);
      assertThat(remote.authorizations().get(0)).as("the first request went without a token").isNull();
      assertThat(admin.upstream("remote").getInteger("consecutiveFailures")).as("the 401 was no failure").isZero();
      assertThat(admin.upstream("remote").getString("circuit")).isEqualTo("closed");
    }
  }

  @Test
  void aDiscoveryThatFailsIsAHealthFailure() throws Exception {
    JsonObject health = new JsonObject().put("probeInterval", "0s").put("failureThreshold", 5);
    try (ClosedPort dead = new ClosedPort();
         StubMcpServer remote = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("remote", registering(remote)),
             new JsonObject().put("health", health).put("admin", Admin.config()));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      // the upstream's metadata names an authorization server that is not there
      remote.protect("http://127.0.0.1:" + dead.port());
      RawMcp.Reply r = call(mcp);
      assertThat(r.error()).as(r.body()).isNotNull();
      assertThat(r.error().getInteger("code")).isEqualTo(-32603);
      assertThat(r.error().getString("message")).contains("could not be renewed");
      assertThat(r.error().getJsonObject("data").getString("upstream")).isEqualTo("remote");
      Await.until(() -> admin.upstream("remote").getInteger("consecutiveFailures") >= 1, 10, "a health failure");
      assertThat(admin.upstream("remote").getString("lastError")).contains("could not be renewed");
      assertThat(remote.count("tools/call")).as("the call never went through").isZero();
    }
  }
}
