package dev.junction.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.Issuer;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Verified identities as tenants: declared tenants' upstreams and tool filters, and no token crossing tenants. */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TenancyIT {
  private static final String RESOURCE = "https://junction.test";

  private static JsonObject auth(Issuer as) {
    return new JsonObject().put("resource", RESOURCE)
        .put("oauth", new JsonObject().put("issuer", as.issuer("default")).put("tenantClaim", "tenant"))
        .put("tenants", new JsonObject()
            .put("alice", new JsonObject().put("upstreams", List.of("a")))
            .put("bob", new JsonObject().put("tools", new JsonObject().put("deny", List.of("b_secret*")))));
  }

  private static MultiMap as(String token, String method, String name) {
    return RawMcp.statelessHeaders(method, name).add("Authorization", "Bearer " + token);
  }

  private static List<String> tools(RawMcp mcp, String token) {
    RawMcp.Reply r = mcp.post(as(token, "tools/list", null), RawMcp.statelessRequest(1, "tools/list", null));
    return r.result().getJsonArray("tools").stream().map(t -> ((JsonObject) t).getString("name")).toList();
  }

  private static RawMcp.Reply call(RawMcp mcp, String token, String tool, JsonObject arguments) {
    return mcp.post(as(token, "tools/call", tool),
        RawMcp.statelessRequest(2, "tools/call", new JsonObject().put("name", tool).put("arguments", arguments)));
  }

  @Test
  void declaredTenantsSeeOnlyTheirUpstreamsAndTools() {
    try (Issuer issuer = Issuer.start();
         StubMcpServer a = StubMcpServer.start(StubMcpServer.Spec.basic().named("a"));
         StubMcpServer b = StubMcpServer.start(StubMcpServer.Spec.basic().named("b").withTools(List.of("echo", "secret-read"), 100));
         Gateway gateway = Gateway.start(new JsonObject().put("a", Gateway.http(a.url())).put("b", Gateway.http(b.url())),
             new JsonObject().put("auth", auth(issuer)));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"));
         RawMcp serverB = new RawMcp(gateway.url("/servers/b/mcp"))) {
      String alice = issuer.token("default", "u1", RESOURCE, Map.of("tenant", "alice"), 60);
      String bob = issuer.token("default", "u2", RESOURCE, Map.of("tenant", "bob"), 60);
      String carol = issuer.token("default", "u3", RESOURCE, Map.of("tenant", "carol"), 60);

      assertThat(tools(mcp, alice)).containsExactly("a_echo");
      RawMcp.Reply hidden = call(mcp, alice, "b_echo", new JsonObject());
      assertThat(hidden.error().getInteger("code")).isEqualTo(-32602);
      RawMcp.Reply notHers = serverB.post(as(alice, "tools/list", null), RawMcp.statelessRequest(1, "tools/list", null));
      assertThat(notHers.status()).as("another tenant's server is as unknown as a missing one").isEqualTo(404);

      assertThat(tools(mcp, bob)).containsExactlyInAnyOrder("a_echo", "b_echo");
      assertThat(call(mcp, bob, "b_secret-read", new JsonObject()).error().getInteger("code")).isEqualTo(-32602);
      RawMcp.Reply own = serverB.post(as(bob, "tools/list", null), RawMcp.statelessRequest(1, "tools/list", null));
      assertThat(own.result().getJsonArray("tools").stream().map(t -> ((JsonObject) t).getString("name")))
          .as("the tenant's filter holds on /servers too, over prefixed names").containsExactly("echo");
      assertThat(b.received()).noneMatch(m -> "tools/call".equals(m.getString("method")));

      RawMcp.Reply stranger = call(mcp, carol, "a_echo", new JsonObject());
      assertThat(stranger.status()).isEqualTo(403);
    }
  }

  @Test
  void aSessionBelongsToTheTenantThatOpenedIt() {
    try (Issuer issuer = Issuer.start();
         StubMcpServer a = StubMcpServer.start(StubMcpServer.Spec.basic().named("a"));
         Gateway gateway = Gateway.start(new JsonObject().put("a", Gateway.http(a.url())),
             new JsonObject().put("auth", auth(issuer)));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String alice = issuer.token("default", "u1", RESOURCE, Map.of("tenant", "alice"), 60);
      String aliceAgain = issuer.token("default", "u9", RESOURCE, Map.of("tenant", "alice"), 60);
      String bob = issuer.token("default", "u2", RESOURCE, Map.of("tenant", "bob"), 60);
      RawMcp.Reply init = mcp.post(RawMcp.postHeaders().add("Authorization", "Bearer " + alice),
          new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize").put("params", new JsonObject()
              .put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
              .put("clientInfo", new JsonObject().put("name", "t").put("version", "1"))));
      String session = init.headers().get("Mcp-Session-Id");
      assertThat(session).isNotNull();
      JsonObject list = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/list");
      MultiMap asBob = RawMcp.sessionHeaders(session, "2025-11-25").add("Authorization", "Bearer " + bob);
      assertThat(mcp.post(asBob, list).status()).as("another tenant's session is unknown").isEqualTo(404);
      MultiMap asAlice = RawMcp.sessionHeaders(session, "2025-11-25").add("Authorization", "Bearer " + aliceAgain);
      assertThat(mcp.post(asAlice, list).result().getJsonArray("tools")).as("the same tenant, another token").hasSize(1);
      assertThat(mcp.send(io.vertx.core.http.HttpMethod.DELETE, asBob, null).status()).isEqualTo(404);
      assertThat(mcp.send(io.vertx.core.http.HttpMethod.DELETE, asAlice, null).status()).isEqualTo(200);
    }
  }

  @Test
  void aTenantsTokenNeverReachesAnotherTenantsUpstreamSession() {
    try (Issuer issuer = Issuer.start();
         StubMcpServer a = StubMcpServer.start(StubMcpServer.Spec.basic().named("a"));
         Gateway gateway = Gateway.start(new JsonObject().put("a", Gateway.http(a.url())
                 .put("auth", new JsonObject().put("mode", "passthrough"))),
             new JsonObject().put("auth", auth(issuer).put("tenants", new JsonObject()
                 .put("alice", new JsonObject()).put("bob", new JsonObject()))));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      Map<String, String> tokens = Map.of(
          "alice", issuer.token("default", "u1", RESOURCE, Map.of("tenant", "alice"), 60),
          "bob", issuer.token("default", "u2", RESOURCE, Map.of("tenant", "bob"), 60));
      for (int i = 0; i < 10; i++) {
        for (Map.Entry<String, String> t : tokens.entrySet()) {
          assertThat(call(mcp, t.getValue(), "a_echo", new JsonObject().put("who", t.getKey())).result()).isNotNull();
        }
      }
      assertThat(LogWatch.lines()).as("passthrough is warned about at start")
          .anyMatch(l -> l.contains("upstream a: auth passthrough") && l.contains("forbids"));
      Map<String, Set<Object>> whoBySession = a.callArgumentsBySession("who");
      assertThat(whoBySession).hasSizeGreaterThanOrEqualTo(2);
      whoBySession.forEach((session, who) -> {
        assertThat(who).as("one tenant per upstream session").hasSize(1);
        String tenant = (String) who.iterator().next();
        assertThat(a.authorizationOf(session)).isEqualTo("Bearer " + tokens.get(tenant));
      });
    }
  }
}
